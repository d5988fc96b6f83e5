// Package loadtest drives an examhall deployment with simulated candidates
// and judges what it did: latency per endpoint, errors by code, and whether
// every answer the server acknowledged is in the final record.
//
// Each candidate is a goroutine with its own token, answer state and
// timeline: it logs in during the ramp, fetches its paper, saves answers at
// jittered intervals, sometimes changes an answer or reloads, and submits at
// the end (a share never submits, leaving the attempt to the server's
// auto-submit). Candidates share a capped pool of connections, as behind a
// load balancer. Results are kept in mergeable histograms so that several
// processes can each drive a share of the candidates and one of them can
// merge and report.
package loadtest
