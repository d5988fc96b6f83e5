// Package plan sizes and prices a scale-mode deployment of examhall for a
// given load, from measured throughput: API pods, Redis, Kafka, PostgreSQL,
// the load balancer, data transfer and monitoring, with every assumption
// stated and the login spike kept below a CPU ceiling on every node.
package plan
