package main

import (
	"flag"
	"fmt"
	"strings"
)

// newFlagSet returns a flag set for a command that reports errors instead of
// exiting.
func (m *Main) newFlagSet(name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(m.Stderr, "Usage: examhall %s\n\nFlags (each also read from EXAMHALL_<FLAG>):\n", usage)
		fs.PrintDefaults()
	}
	return fs
}

// parse sets every flag from its EXAMHALL_<FLAG> variable, then from args,
// so that a flag given on the command line wins.
func (m *Main) parse(fs *flag.FlagSet, args []string) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		name := "EXAMHALL_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v := m.Getenv(name); v != "" && err == nil {
			if e := fs.Set(f.Name, v); e != nil {
				err = usageError{fmt.Sprintf("%s=%q: %v", name, v, e)}
			}
		}
	})
	if err != nil {
		return err
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		if perr := passwordFlagError(err); perr != nil {
			return perr
		}
		return usageError{err.Error()}
	}
	return nil
}
