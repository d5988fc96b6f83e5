// Command examhall-devbroker is a Kafka-compatible broker for developing
// and trying scale mode on one machine, without Kafka: franz-go's kfake in
// process, on a loopback port. It is for development only (one node, one
// replica, memory only unless -data is given), so it is a command of its
// own, and the examhall binary that runs in production carries no fake
// broker.
//
//	go run ./cmd/examhall-devbroker -addr 127.0.0.1:9092 &
//	examhall serve --kafka 127.0.0.1:9092 ...   examhall grader --kafka 127.0.0.1:9092 ...
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/twmb/franz-go/pkg/kfake"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9092", "address to listen on")
	data := flag.String("data", "", "directory to persist the log in (default: memory only)")
	partitions := flag.Int("partitions", 12, "partitions of topics created automatically")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *addr, *data, *partitions); err != nil {
		fmt.Fprintln(os.Stderr, "examhall-devbroker:", err)
		os.Exit(1)
	}
}

// run serves the broker on addr until ctx ends.
func run(ctx context.Context, addr, data string, partitions int) error {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr: %w", err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return fmt.Errorf("-addr: bad port %s", portStr)
	}
	opts := []kfake.Opt{
		kfake.NumBrokers(1), kfake.Ports(port), kfake.DefaultNumPartitions(partitions), kfake.AllowAutoTopicCreation(),
		kfake.ListenFn(func(network, _ string) (net.Listener, error) {
			return net.Listen(network, net.JoinHostPort(host, portStr))
		}),
	}
	if data != "" {
		opts = append(opts, kfake.DataDir(data))
	}
	c, err := kfake.NewCluster(opts...)
	if err != nil {
		return fmt.Errorf("starting the development broker: %w", err)
	}
	defer c.Close()
	bound := c.ListenAddrs()[0]
	fmt.Printf("examhall-devbroker: a Kafka-compatible broker for development only, at %s\n", bound)
	fmt.Printf("  examhall serve --kafka %s ...   examhall grader --kafka %s ...\n", bound, bound)
	<-ctx.Done()
	return nil
}
