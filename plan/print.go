package plan

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// Print writes the plan: resources, costs, and the assumptions.
func (pl *Plan) Print(w io.Writer) {
	l := pl.Load
	fmt.Fprintf(w, "examhall plan: %d candidates, deployment up %v, sessions of %v, login ramp %v, a save every %v\n",
		l.Candidates, l.Window, l.Session, l.Ramp, l.SaveEvery)
	fmt.Fprintf(w, "load: %.0f requests/s during the login spike, %.0f/s steady\n\n", pl.SpikeRPS, pl.SteadyRPS)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RESOURCE\tSIZE\tCOUNT\tvCPU\tMEMORY GiB\tSIZED FOR\tPEAK CPU")
	for _, r := range pl.Resources {
		cpu := "-"
		if r.PeakCPU > 0 {
			cpu = fmt.Sprintf("%.0f%%", r.PeakCPU*100)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\n", r.Component, r.Size, r.Count, orDash(r.VCPU), orDash(r.MemoryGiB), r.Load, cpu)
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "COST\tBASIS\t%s\n", pl.Prices.Currency)
	for _, c := range pl.Costs {
		fmt.Fprintf(tw, "%s\t%s\t%.2f\n", c.Component, c.Basis, c.Amount)
	}
	fmt.Fprintf(tw, "TOTAL\t\t%.2f\n", pl.Total)
	tw.Flush()
	fmt.Fprintf(w, "\nembedded mode instead: one %s (%g vCPU) carries the same peak below %.0f%% CPU, without redundancy\n",
		pl.Embedded.Name, pl.Embedded.VCPU, CPUCeiling*100)
	fmt.Fprintln(w, "\nassumptions:")
	for _, a := range pl.Assumptions {
		fmt.Fprintln(w, "  -", a)
	}
}

func orDash(f float64) string {
	if f == 0 {
		return "-"
	}
	return fmt.Sprintf("%g", f)
}
