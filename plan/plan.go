package plan

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// CPUCeiling is the highest CPU use any node is planned for, at the peak
// of the login spike.
const CPUCeiling = 0.70

// Traffic model: what one candidate costs besides the measured CPU.
const (
	redisOpsPerRequest = 3         // token/session check, draft write, deadline index
	redisBytesPerCand  = 8 << 10   // session, paper, drafts
	eventBytes         = 400       // one save on the log, with its envelope
	paperBytes         = 6 << 10   // a paper, compressed
	uiBytes            = 600 << 10 // the web UI, once per candidate (CDN or not, it is transfer)
	saveAnswerBytes    = 300       // a save's answer
	reloadShare        = 0.1       // candidates who reload once
	lcuNewConns        = 25        // per second, per load balancer capacity unit
	lcuActiveConns     = 3000
	lcuRequests        = 1000 // rule evaluations per second
	hoursPerMonth      = 730
	retentionDays      = 7 // of the event log
)

// Load is the exam to plan for.
type Load struct {
	Candidates int
	Window     time.Duration // how long the deployment runs (the exam days)
	Session    time.Duration // one candidate's exam
	Ramp       time.Duration // the login spike: every candidate logs in within it
	SaveEvery  time.Duration // autosave interval
}

// Check reports the first mistake in l.
func (l *Load) Check() error {
	switch {
	case l.Candidates <= 0:
		return errors.New("--candidates must be positive")
	case l.Window <= 0 || l.Session <= 0 || l.Ramp <= 0 || l.SaveEvery <= 0:
		return errors.New("--duration, --session, --ramp and --save-every must be positive")
	case l.Session > l.Window:
		return errors.New("--session is longer than --duration")
	}
	return nil
}

// Plan is a sized and costed deployment.
type Plan struct {
	Load        Load
	Throughput  Throughput
	Prices      *Prices
	SteadyRPS   float64 // autosaves of every candidate
	SpikeRPS    float64 // logins and papers within the ramp, plus saves
	Resources   []Resource
	Costs       []Cost
	Total       float64
	Assumptions []string
	// Embedded is the single machine that would carry the same peak in
	// embedded mode (no redundancy).
	Embedded Instance
	// PeakPods and SteadyPods are the API pods for the login spike and
	// for autosaves afterwards (see Schedule).
	PeakPods, SteadyPods int
}

// Resource is one line of the resource table.
type Resource struct {
	Component string
	Size      string
	Count     int
	VCPU      float64 // in total
	MemoryGiB float64 // in total
	Load      string  // what it was sized for
	PeakCPU   float64 // planned CPU use at the peak, 0..CPUCeiling
}

// Cost is one line of the cost table.
type Cost struct {
	Component string
	Basis     string
	Amount    float64
}

// Compute sizes and prices a deployment for load at throughput.
func Compute(l Load, t Throughput, p *Prices) (*Plan, error) {
	if err := l.Check(); err != nil {
		return nil, err
	}
	if t.PerCore <= 0 {
		return nil, errors.New("throughput per core must be positive")
	}
	n := float64(l.Candidates)
	pl := &Plan{Load: l, Throughput: t, Prices: p}
	pl.SteadyRPS = n / l.SaveEvery.Seconds()
	pl.SpikeRPS = 2*n/l.Ramp.Seconds() + pl.SteadyRPS
	hours := l.Window.Hours()

	// API pods: the spike at most CPUCeiling of every pod; after the
	// spike hour the autoscaler holds the steady size.
	podCores := p.PodVCPU * (1 - p.NodeOverhead)
	peakPods := max(2, int(math.Ceil(pl.SpikeRPS/t.PerCore/CPUCeiling/podCores)))
	steadyPods := max(2, int(math.Ceil(pl.SteadyRPS/t.PerCore/CPUCeiling/podCores)))
	pl.PeakPods, pl.SteadyPods = peakPods, steadyPods
	pl.add(Resource{Component: "API pods (peak)", Size: fmt.Sprintf("%g vCPU, %g GiB", p.PodVCPU, p.PodGiB), Count: peakPods,
		VCPU: float64(peakPods) * p.PodVCPU, MemoryGiB: float64(peakPods) * p.PodGiB,
		Load: fmt.Sprintf("%.0f req/s (login spike)", pl.SpikeRPS), PeakCPU: pl.SpikeRPS / t.PerCore / (float64(peakPods) * podCores)})
	pl.add(Resource{Component: "API pods (steady)", Size: fmt.Sprintf("%g vCPU, %g GiB", p.PodVCPU, p.PodGiB), Count: steadyPods,
		VCPU: float64(steadyPods) * p.PodVCPU, MemoryGiB: float64(steadyPods) * p.PodGiB,
		Load: fmt.Sprintf("%.0f req/s (autosave)", pl.SteadyRPS), PeakCPU: pl.SteadyRPS / t.PerCore / (float64(steadyPods) * podCores)})
	podHour := p.PodVCPU*p.VCPUHour + p.PodGiB*p.GiBHour
	spikeHours := math.Min(1, hours)
	pl.cost("API pods", fmt.Sprintf("%d pods × %.0f h + %d × %.0f h × %s/h", peakPods, spikeHours, steadyPods, hours-spikeHours, money(podHour)),
		podHour*(float64(peakPods)*spikeHours+float64(steadyPods)*(hours-spikeHours)))

	// Redis: operations at the peak and memory for every candidate.
	ops := pl.SpikeRPS * redisOpsPerRequest
	mem := n * redisBytesPerCand * 1.5 / (1 << 30)
	redis, shards := pick(p.Redis, func(i Instance) bool { return i.OpsPerSec*CPUCeiling >= ops && i.MemoryGiB >= mem },
		func(i Instance) int {
			return max(int(math.Ceil(ops/(i.OpsPerSec*CPUCeiling))), int(math.Ceil(mem/i.MemoryGiB)))
		})
	redisNodes := shards * (1 + p.RedisReplicas)
	pl.add(Resource{Component: "Redis", Size: redis.Name, Count: redisNodes, MemoryGiB: float64(redisNodes) * redis.MemoryGiB,
		Load: fmt.Sprintf("%.0f ops/s, %.2f GiB", ops, mem), PeakCPU: ops / (float64(shards) * redis.OpsPerSec)})
	pl.cost("Redis", fmt.Sprintf("%d × %s × %.0f h", redisNodes, money(redis.Hour), hours), float64(redisNodes)*redis.Hour*hours)

	// Kafka: every save and login on the log, replicated to every broker.
	mbps := pl.SpikeRPS * eventBytes / 1e6 * 3 / float64(p.KafkaBrokers)
	kafka, kshards := pick(p.Kafka, func(i Instance) bool { return i.MBPerSec*CPUCeiling >= mbps },
		func(i Instance) int { return int(math.Ceil(mbps / (i.MBPerSec * CPUCeiling))) })
	brokers := p.KafkaBrokers * kshards
	saves := n * l.Session.Seconds() / l.SaveEvery.Seconds()
	logGiB := saves * eventBytes * 3 / (1 << 30)
	pl.add(Resource{Component: "Kafka brokers", Size: kafka.Name, Count: brokers,
		Load: fmt.Sprintf("%.1f MB/s per broker, %.1f GiB log", mbps/float64(kshards), logGiB), PeakCPU: mbps / float64(kshards) / kafka.MBPerSec})
	pl.cost("Kafka", fmt.Sprintf("%d × %s × %.0f h + %.1f GiB × %d days", brokers, money(kafka.Hour), hours, logGiB, retentionDays),
		float64(brokers)*kafka.Hour*hours+logGiB*p.KafkaStorageGiBM*retentionDays*24/hoursPerMonth)

	// PostgreSQL: the grader's batched writes at the steady save rate.
	rows := pl.SteadyRPS * 1.5 // a save is an event row and a draft upsert, batched
	pg, pgShards := pick(p.Postgres, func(i Instance) bool { return i.RowsPerSec*CPUCeiling >= rows },
		func(i Instance) int { return int(math.Ceil(rows / (i.RowsPerSec * CPUCeiling))) })
	pgNodes := pgShards
	if p.PostgresStandby {
		pgNodes *= 2
	}
	storage := math.Max(20, math.Ceil(saves*eventBytes*3/(1<<30)))
	pl.add(Resource{Component: "PostgreSQL", Size: pg.Name, Count: pgNodes, VCPU: float64(pgNodes) * pg.VCPU,
		Load: fmt.Sprintf("%.0f rows/s, %.0f GiB", rows, storage), PeakCPU: rows / (float64(pgShards) * pg.RowsPerSec)})
	pl.cost("PostgreSQL", fmt.Sprintf("%d × %s × %.0f h + %.0f GiB", pgNodes, money(pg.Hour), hours, storage),
		float64(pgNodes)*pg.Hour*hours+storage*float64(pgNodes)*p.PostgresStorageGiBM*hours/hoursPerMonth)

	// Load balancer: capacity units at the spike (new connections), then
	// steady (active connections or requests).
	spikeLCU := math.Max(n/l.Ramp.Seconds()/lcuNewConns, pl.SpikeRPS/lcuRequests)
	steadyLCU := math.Max(n/lcuActiveConns, pl.SteadyRPS/lcuRequests)
	pl.add(Resource{Component: "Load balancer", Size: "application LB", Count: 1,
		Load: fmt.Sprintf("%.0f LCU at the spike, %.0f steady", spikeLCU, steadyLCU)})
	pl.cost("Load balancer", fmt.Sprintf("%.0f h × %s + LCU-hours", hours, money(p.LoadBalancerHour)),
		hours*p.LoadBalancerHour+p.LCUHour*(spikeLCU*spikeHours+steadyLCU*(hours-spikeHours)))

	// Data transfer out: the UI and paper to each candidate, a small
	// answer to each save.
	outGiB := (n*(uiBytes+paperBytes*(1+reloadShare)) + saves*saveAnswerBytes) / (1 << 30)
	pl.cost("Data transfer", fmt.Sprintf("%.1f GiB out × %s", outGiB, money(p.TransferGiB)), outGiB*p.TransferGiB)
	pl.cost("Monitoring", fmt.Sprintf("%s/month × %.0f h", money(p.MonitoringMonth), hours), p.MonitoringMonth*hours/hoursPerMonth)

	// The same peak on one machine in embedded mode.
	cores := pl.SpikeRPS / t.PerCore / CPUCeiling
	pl.Embedded, _ = pick(p.VM, func(i Instance) bool { return i.VCPU >= cores }, func(Instance) int { return 1 })

	pl.Assumptions = []string{
		fmt.Sprintf("throughput %.0f API requests/s per core (%s)", t.PerCore, t.Source),
		fmt.Sprintf("every candidate logs in and loads the paper within the %v ramp, then saves every %v for %v", l.Ramp, l.SaveEvery, l.Session),
		fmt.Sprintf("no node above %.0f%% CPU at the peak of the login spike; at least 2 API pods; %.0f%% of a pod kept by the platform", CPUCeiling*100, p.NodeOverhead*100),
		fmt.Sprintf("the autoscaler holds the spike size for %.0f h, then the steady size for the rest of the %v", spikeHours, l.Window),
		fmt.Sprintf("Redis: %d operations per request, %d KiB per candidate (+50%%), %d replica(s) per shard", redisOpsPerRequest, redisBytesPerCand>>10, p.RedisReplicas),
		fmt.Sprintf("Kafka: %d B per event, replication 3 over %d brokers, %d days' retention", eventBytes, p.KafkaBrokers, retentionDays),
		fmt.Sprintf("transfer: %d KiB of UI and %d KiB of paper per candidate, %d B per save answer", uiBytes>>10, paperBytes>>10, saveAnswerBytes),
		"prices: " + p.Note,
	}
	return pl, nil
}

// pick returns the smallest instance that fits alone, or else the largest
// and how many of it (shards) are needed.
func pick(sizes []Instance, fits func(Instance) bool, count func(Instance) int) (Instance, int) {
	for _, s := range sizes {
		if fits(s) {
			return s, 1
		}
	}
	last := sizes[len(sizes)-1]
	return last, max(1, count(last))
}

func (pl *Plan) add(r Resource) { pl.Resources = append(pl.Resources, r) }

func (pl *Plan) cost(component, basis string, amount float64) {
	pl.Costs = append(pl.Costs, Cost{Component: component, Basis: basis, Amount: amount})
	pl.Total += amount
}

func money(f float64) string {
	if f < 1 {
		return fmt.Sprintf("$%.4g", f)
	}
	return fmt.Sprintf("$%.2f", f)
}
