package examhalltest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// RedisCluster is a Redis Cluster of one test alone: six redis-server
// processes (three masters, three replicas) on free ports, no persistence,
// a cluster-node-timeout of one second, so that the test can kill and
// restart its nodes. .ci/redis-cluster starts the shared one the suites
// run on a second time.
type RedisCluster struct {
	dir   string
	ports []int
	procs map[int]*exec.Cmd
}

// StartRedisCluster starts a private Redis Cluster and stops it when the
// test ends. It skips the test (fails it with EXAMHALL_TEST_REQUIRE=1)
// where redis-server or redis-cli is missing.
func StartRedisCluster(tb testing.TB) *RedisCluster {
	tb.Helper()
	for _, bin := range []string{"redis-server", "redis-cli"} {
		if _, err := exec.LookPath(bin); err != nil {
			if os.Getenv("EXAMHALL_TEST_REQUIRE") == "1" {
				tb.Fatalf("%s not found and EXAMHALL_TEST_REQUIRE=1", bin)
			}
			tb.Skipf("%s not found: skipping a test that needs a Redis Cluster", bin)
		}
	}
	c := &RedisCluster{dir: tb.TempDir(), procs: map[int]*exec.Cmd{}}
	c.ports = freePorts(tb, 6)
	tb.Cleanup(func() {
		for _, p := range c.procs {
			p.Process.Kill()
			p.Wait()
		}
	})
	for _, p := range c.ports {
		c.Start(tb, p)
	}
	args := []string{"--cluster", "create"}
	for _, p := range c.ports {
		args = append(args, "127.0.0.1:"+strconv.Itoa(p))
	}
	args = append(args, "--cluster-replicas", "1", "--cluster-yes")
	if out, err := exec.Command("redis-cli", args...).CombinedOutput(); err != nil {
		tb.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	c.WaitHealthy(tb)
	return c
}

// freePorts returns n ports whose cluster bus ports (+10000) are free too.
func freePorts(tb testing.TB, n int) []int {
	tb.Helper()
	var out []int
	for len(out) < n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			tb.Fatal(err)
		}
		p := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if p+10000 > 65535 {
			continue
		}
		bus, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p+10000))
		if err != nil {
			continue
		}
		bus.Close()
		out = append(out, p)
	}
	return out
}

// URL is the cluster's address for EXAMHALL_REDIS: every node.
func (c *RedisCluster) URL() string {
	addrs := make([]string, len(c.ports))
	for i, p := range c.ports {
		addrs[i] = "127.0.0.1:" + strconv.Itoa(p)
	}
	return "redis://" + strings.Join(addrs, ",")
}

// Start starts (or restarts) the node on port with the cluster state it
// had: a restarted master comes back empty and joins as a replica.
func (c *RedisCluster) Start(tb testing.TB, port int) {
	tb.Helper()
	dir := filepath.Join(c.dir, strconv.Itoa(port))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command("redis-server", "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--dir", dir, "--logfile", "redis.log", "--save", "", "--appendonly", "no",
		"--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
		"--cluster-node-timeout", "1000", "--cluster-replica-validity-factor", "0",
		"--repl-diskless-sync-delay", "0")
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	c.procs[port] = cmd
	Eventually(tb, 10*time.Second, func() error { return c.cli(port, "ping") })
}

// Kill kills the node on port with SIGKILL: what it had not replicated is
// gone.
func (c *RedisCluster) Kill(tb testing.TB, port int) {
	tb.Helper()
	p := c.procs[port]
	if p == nil {
		tb.Fatalf("no redis node on port %d", port)
	}
	p.Process.Kill()
	p.Wait()
	delete(c.procs, port)
}

// MasterOf returns the port of the master that serves key's slot.
func (c *RedisCluster) MasterOf(tb testing.TB, key string) int {
	tb.Helper()
	for _, p := range c.ports {
		if c.procs[p] == nil {
			continue
		}
		out, err := exec.Command("redis-cli", "-p", strconv.Itoa(p), "cluster", "keyslot", key).Output()
		if err != nil {
			continue
		}
		slot, _ := strconv.Atoi(strings.TrimSpace(string(out)))
		// CLUSTER NODES: id addr flags master ping pong epoch state slots...
		out, err = exec.Command("redis-cli", "-p", strconv.Itoa(p), "cluster", "nodes").Output()
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(out), "\n") {
			f := strings.Fields(line)
			if len(f) < 9 || !strings.Contains(f[2], "master") || strings.Contains(f[2], "fail") {
				continue
			}
			for _, r := range f[8:] {
				lo, hi, ok := strings.Cut(r, "-")
				if !ok {
					hi = lo
				}
				a, err1 := strconv.Atoi(lo)
				b, err2 := strconv.Atoi(hi)
				if err1 == nil && err2 == nil && slot >= a && slot <= b {
					addr := strings.SplitN(f[1], "@", 2)[0]
					_, port, _ := net.SplitHostPort(addr)
					n, _ := strconv.Atoi(port)
					return n
				}
			}
		}
	}
	tb.Fatalf("no master serves %q", key)
	return 0
}

// WaitHealthy waits until every node runs and the cluster is in state ok
// with a replica in sync for each of three masters.
func (c *RedisCluster) WaitHealthy(tb testing.TB) {
	tb.Helper()
	Eventually(tb, 30*time.Second, func() error {
		for _, p := range c.ports {
			out, err := exec.Command("redis-cli", "-p", strconv.Itoa(p), "cluster", "info").Output()
			if err != nil || !strings.Contains(string(out), "cluster_state:ok") {
				return fmt.Errorf("node %d: cluster not ok: %v %s", p, err, firstLine(out))
			}
		}
		out, _ := exec.Command("redis-cli", "-p", strconv.Itoa(c.ports[0]), "cluster", "nodes").Output()
		masters, replicas := 0, 0
		for _, line := range strings.Split(string(out), "\n") {
			f := strings.Fields(line)
			if len(f) < 3 || strings.Contains(f[2], "fail") {
				continue
			}
			if strings.Contains(f[2], "master") {
				masters++
			} else if strings.Contains(f[2], "slave") && len(f) > 7 && f[7] == "connected" {
				replicas++
			}
		}
		if masters != 3 || replicas != 3 {
			return fmt.Errorf("%d masters and %d replicas up, want 3 and 3", masters, replicas)
		}
		// Each replica has its master's data (the first sync is done).
		for _, p := range c.ports {
			out, err := exec.Command("redis-cli", "-p", strconv.Itoa(p), "info", "replication").Output()
			if err != nil {
				return err
			}
			info := string(out)
			if strings.Contains(info, "role:slave") && !strings.Contains(info, "master_link_status:up") {
				return fmt.Errorf("replica %d: not in sync with its master", p)
			}
		}
		return nil
	})
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(string(b), "\n")
	return s
}

func (c *RedisCluster) cli(port int, args ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "redis-cli", append([]string{"-p", strconv.Itoa(port)}, args...)...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("redis-cli %v: %v %s", args, err, out)
	}
	if strings.Contains(string(out), "Could not connect") {
		return fmt.Errorf("redis-cli %v: %s", args, out)
	}
	return nil
}
