//go:build !race

package loadtest_test

const raceOn = false
