package main

import (
	"context"
	"fmt"
	"net"
	"strconv"

	"github.com/twmb/franz-go/pkg/kfake"
)

// runDevbroker is `examhall devbroker`: an in-process Kafka-compatible
// broker (franz-go's kfake) on a loopback port, so that scale mode can run
// on one machine without Kafka. For development only: it is not Kafka, it
// has one replica, and without --data it keeps everything in memory.
func (m *Main) runDevbroker(ctx context.Context, args []string) error {
	fs := m.newFlagSet("devbroker", "devbroker [flags]   (development only: not a Kafka for production)")
	addr := fs.String("addr", "127.0.0.1:9092", "address to listen on")
	data := fs.String("data", "", "directory to persist the log in (default: memory only)")
	partitions := fs.Int("partitions", 12, "partitions of topics created automatically")
	if err := m.parse(fs, args); err != nil {
		return err
	}
	host, portStr, err := net.SplitHostPort(*addr)
	if err != nil {
		return usageError{"--addr: " + err.Error()}
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return usageError{"--addr: bad port " + portStr}
	}
	opts := []kfake.Opt{
		kfake.NumBrokers(1), kfake.Ports(port), kfake.DefaultNumPartitions(*partitions), kfake.AllowAutoTopicCreation(),
		kfake.ListenFn(func(network, _ string) (net.Listener, error) {
			return net.Listen(network, net.JoinHostPort(host, portStr))
		}),
	}
	if *data != "" {
		opts = append(opts, kfake.DataDir(*data))
	}
	c, err := kfake.NewCluster(opts...)
	if err != nil {
		return fmt.Errorf("starting the development broker: %w", err)
	}
	defer c.Close()
	bound := c.ListenAddrs()[0]
	fmt.Fprintf(m.Stdout, "examhall devbroker: a Kafka-compatible broker for development only, at %s\n", bound)
	fmt.Fprintf(m.Stdout, "  examhall serve --kafka %s ...   examhall grader --kafka %s ...\n", bound, bound)
	if m.Ready != nil {
		m.Ready <- bound
	}
	<-ctx.Done()
	return nil
}
