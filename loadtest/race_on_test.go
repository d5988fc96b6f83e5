//go:build race

package loadtest_test

// raceOn: the race detector slows the server and the load generator
// several times over, so the short load tests give sessions more time.
const raceOn = true
