package loadtest

import (
	"math/rand/v2"
	"sort"
	"testing"
	"time"
)

func TestHistogramQuantiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var all []time.Duration
	var a, b Histogram
	for i := range 20000 {
		d := time.Duration(rng.ExpFloat64() * float64(5*time.Millisecond))
		all = append(all, d)
		if i%2 == 0 {
			a.Record(d)
		} else {
			b.Record(d)
		}
	}
	a.Merge(&b) // two processes' histograms, merged
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	for _, q := range []float64{0.5, 0.95, 0.99} {
		want := all[int(q*float64(len(all)))]
		got := a.Quantile(q)
		if diff := float64(got-want) / float64(want); diff > 0.02 || diff < -0.02 {
			t.Errorf("p%v = %v, want %v within 2%%", q*100, got, want)
		}
	}
	if got, want := a.Quantile(1), all[len(all)-1].Truncate(time.Microsecond); got != want {
		t.Errorf("max = %v, want %v", got, want)
	}
	if a.N != 20000 {
		t.Errorf("n = %d, want 20000", a.N)
	}
	var empty Histogram
	if empty.Quantile(0.99) != 0 {
		t.Error("an empty histogram has a non-zero quantile")
	}
}

func TestBucketsAreContiguous(t *testing.T) {
	prev := -1
	for us := uint64(0); us < 1<<20; us++ {
		i := bucketOf(us)
		if i != prev && i != prev+1 {
			t.Fatalf("bucketOf(%d) = %d after %d", us, i, prev)
		}
		if v := bucketValue(i); float64(v) < float64(us)*0.98 || float64(v) > float64(us)*1.02+1 {
			t.Fatalf("bucketValue(bucketOf(%d)) = %d", us, v)
		}
		prev = i
	}
}
