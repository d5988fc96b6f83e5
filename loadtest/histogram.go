package loadtest

import (
	"math/bits"
	"time"
)

// subBits sets a histogram's precision: 2^subBits buckets per power of
// two, so a reported quantile is within 1/64 (1.6%) of the true value.
const subBits = 6

// nBuckets covers microsecond values up to 2^40 (about 12 days).
const nBuckets = (40 - subBits + 1) << subBits

// Histogram counts latencies in log-linear microsecond buckets. Histograms
// merge by adding counts, which is what lets child processes stream theirs
// to a parent. The zero value is empty and ready to use; it is not safe for
// concurrent use.
type Histogram struct {
	Counts map[int]uint64 `json:"counts"` // bucket index → count (sparse)
	N      uint64         `json:"n"`
	MaxUS  uint64         `json:"max_us"`
	SumUS  uint64         `json:"sum_us"`
}

func bucketOf(us uint64) int {
	if us < 2<<subBits {
		return int(us)
	}
	shift := bits.Len64(us) - 1 - subBits
	return (shift+1)<<subBits + int(us>>shift) - 1<<subBits
}

// bucketValue is the middle of bucket i, in microseconds.
func bucketValue(i int) uint64 {
	if i < 2<<subBits {
		return uint64(i)
	}
	shift := i>>subBits - 1
	low := uint64(i&(1<<subBits-1)+1<<subBits) << shift
	return low + (uint64(1)<<shift)/2
}

// Record adds one latency.
func (h *Histogram) Record(d time.Duration) {
	us := uint64(max(d.Microseconds(), 0))
	i := bucketOf(us)
	if i >= nBuckets {
		i = nBuckets - 1
	}
	if h.Counts == nil {
		h.Counts = make(map[int]uint64)
	}
	h.Counts[i]++
	h.N++
	h.SumUS += us
	h.MaxUS = max(h.MaxUS, us)
}

// Merge adds o's counts to h.
func (h *Histogram) Merge(o *Histogram) {
	if o.N == 0 {
		return
	}
	if h.Counts == nil {
		h.Counts = make(map[int]uint64, len(o.Counts))
	}
	for i, c := range o.Counts {
		h.Counts[i] += c
	}
	h.N += o.N
	h.SumUS += o.SumUS
	h.MaxUS = max(h.MaxUS, o.MaxUS)
}

// Quantile returns the latency below which a fraction q of the recorded
// ones fall (0 when empty); Quantile(1) is the exact maximum.
func (h *Histogram) Quantile(q float64) time.Duration {
	if h.N == 0 {
		return 0
	}
	if q >= 1 {
		return time.Duration(h.MaxUS) * time.Microsecond
	}
	rank := uint64(q*float64(h.N)) + 1
	var seen uint64
	for i := 0; i < nBuckets; i++ {
		seen += h.Counts[i]
		if seen >= rank {
			return time.Duration(min(bucketValue(i), h.MaxUS)) * time.Microsecond
		}
	}
	return time.Duration(h.MaxUS) * time.Microsecond
}
