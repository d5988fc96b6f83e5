// Package deploy holds examhall's deployment files: the container image
// (Dockerfile), Kubernetes manifests (kubernetes/, a kustomize base and an
// example overlay), a compose file for a workstation, Prometheus alert rules
// and a Grafana dashboard. It has no code; its tests check the files.
package deploy
