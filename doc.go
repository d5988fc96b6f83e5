// Package examhall is the domain of the examhall exam server: exams and their
// questions, attempts and answers, the grading and deadline rules, the error
// codes clients rely on, and the small interfaces that the storage, cache and
// event-log adapters implement.
//
// Reading this package tells what the system does. It imports no driver:
// the sqlite, postgres, redis and kafka packages implement its interfaces,
// package hall runs the candidate and staff use cases on top of them, and
// cmd/examhall wires one mode or the other.
//
// The promise every part serves: an acknowledged answer is never lost, the
// clock is the server's, candidates see only what is theirs, and the start of
// an exam is a non-event.
package examhall
