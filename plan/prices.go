package plan

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

//go:embed prices.json
var defaultPrices []byte

// Prices is the price table a plan is costed with. The built-in table
// (prices.json) holds illustrative list prices; a file with the same
// fields overrides any of them.
type Prices struct {
	Currency string `json:"currency"`
	Note     string `json:"note"`

	// API pods: price of a vCPU and of a GiB of memory per hour (as a
	// container platform bills them), and the size of one pod.
	VCPUHour     float64 `json:"vcpu_hour"`
	GiBHour      float64 `json:"gib_hour"`
	PodVCPU      float64 `json:"pod_vcpu"`
	PodGiB       float64 `json:"pod_gib"`
	NodeOverhead float64 `json:"node_overhead"` // share of a node the platform keeps

	Redis         []Instance `json:"redis"`
	RedisReplicas int        `json:"redis_replicas"`

	Kafka            []Instance `json:"kafka"`
	KafkaBrokers     int        `json:"kafka_brokers"`
	KafkaStorageGiBM float64    `json:"kafka_storage_gib_month"`

	Postgres            []Instance `json:"postgres"`
	PostgresStandby     bool       `json:"postgres_standby"`
	PostgresStorageGiBM float64    `json:"postgres_storage_gib_month"`

	LoadBalancerHour float64 `json:"load_balancer_hour"`
	LCUHour          float64 `json:"lcu_hour"`
	TransferGiB      float64 `json:"transfer_gib"`
	MonitoringMonth  float64 `json:"monitoring_month"`

	// VM sizes for the embedded mode's single machine.
	VM []Instance `json:"vm"`
}

// Instance is one size of a managed service or machine, smallest first.
type Instance struct {
	Name       string  `json:"name"`
	VCPU       float64 `json:"vcpu,omitempty"`
	MemoryGiB  float64 `json:"memory_gib,omitempty"`
	OpsPerSec  float64 `json:"ops_per_sec,omitempty"`  // Redis
	MBPerSec   float64 `json:"mb_per_sec,omitempty"`   // Kafka, per broker
	RowsPerSec float64 `json:"rows_per_sec,omitempty"` // PostgreSQL, batched writes
	Hour       float64 `json:"hour"`
}

// DefaultPrices returns the built-in price table.
func DefaultPrices() *Prices {
	p, err := ReadPrices(nil)
	if err != nil {
		panic(err) // the embedded table is checked by tests
	}
	return p
}

// ReadPrices reads a price table from r over the built-in one (r nil: the
// built-in one alone). Fields absent from r keep their built-in value;
// unknown fields are an error, so that a misspelt price is not ignored.
func ReadPrices(r io.Reader) (*Prices, error) {
	var p Prices
	if err := json.Unmarshal(defaultPrices, &p); err != nil {
		return nil, err
	}
	if r != nil {
		data, err := io.ReadAll(r)
		if err != nil {
			return nil, err
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&p); err != nil {
			return nil, fmt.Errorf("price table: %w", err)
		}
	}
	return &p, p.check()
}

func (p *Prices) check() error {
	switch {
	case p.VCPUHour < 0 || p.GiBHour < 0 || p.LoadBalancerHour < 0 || p.LCUHour < 0 || p.TransferGiB < 0 || p.MonitoringMonth < 0:
		return errors.New("price table: prices must not be negative")
	case p.PodVCPU <= 0:
		return errors.New("price table: pod_vcpu must be positive")
	case p.NodeOverhead < 0 || p.NodeOverhead >= 1:
		return errors.New("price table: node_overhead is a fraction below 1")
	case len(p.Redis) == 0 || len(p.Kafka) == 0 || len(p.Postgres) == 0 || len(p.VM) == 0:
		return errors.New("price table: redis, kafka, postgres and vm need at least one size each")
	case p.KafkaBrokers < 1:
		return errors.New("price table: kafka_brokers must be at least 1")
	}
	return nil
}
