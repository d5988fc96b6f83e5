// Package hall runs examhall's use cases, for candidates (login, paper,
// autosave, submit, result) and for staff (exams, codes, results, marking,
// release, statistics), on top of the interfaces of package examhall. Both
// modes run this same code; only the examhall.Backend differs.
//
// Hall owns the rules that need no storage to decide: tokens, the deadline
// and session checks, validation of every answer against the candidate's
// paper, receipts, and the sweep that submits overdue attempts.
package hall
