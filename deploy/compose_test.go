package deploy_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

func TestComposeFile(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var compose struct {
		Services map[string]map[string]any `json:"services"`
	}
	if err := yaml.Unmarshal(data, &compose); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	for _, name := range []string{"postgres", "redis", "kafka", "migrate", "serve-1", "serve-2", "grader", "nginx", "prometheus", "grafana"} {
		if compose.Services[name] == nil {
			t.Errorf("compose.yaml has no service %s", name)
		}
	}
	command := func(svc string) string { return fmt.Sprint(compose.Services[svc]["command"]) }
	for svc, want := range map[string]string{"serve-1": "serve", "serve-2": "serve", "grader": "grader", "migrate": "migrate"} {
		if got := command(svc); got != "["+want+"]" {
			t.Errorf("service %s runs %s, want [%s]", svc, got, want)
		}
		env := asMap(compose.Services[svc]["environment"])
		for _, k := range []string{"EXAMHALL_POSTGRES", "EXAMHALL_REDIS", "EXAMHALL_KAFKA"} {
			if env[k] == nil {
				t.Errorf("service %s lacks %s (the merge of x-examhall failed?)", svc, k)
			}
		}
	}
	kafka := asMap(compose.Services["kafka"]["environment"])
	if roles := fmt.Sprint(kafka["KAFKA_PROCESS_ROLES"]); !strings.Contains(roles, "controller") {
		t.Errorf("Kafka process roles %q: not KRaft", roles)
	}
	// Every file mounted from the repository exists.
	for name, svc := range compose.Services {
		vols, _ := svc["volumes"].([]any)
		for _, v := range vols {
			src := strings.SplitN(fmt.Sprint(v), ":", 2)[0]
			if strings.HasPrefix(src, "./") {
				if _, err := os.Stat(src); err != nil {
					t.Errorf("service %s mounts %s, which does not exist", name, src)
				}
			}
		}
	}
	if b := asMap(compose.Services["serve-1"]["build"]); b["dockerfile"] != "deploy/Dockerfile" {
		t.Errorf("serve-1 builds %v, want deploy/Dockerfile", b)
	}

	conf, err := os.ReadFile("nginx/nginx.conf")
	if err != nil {
		t.Fatal(err)
	}
	for _, svc := range []string{"serve-1:8080", "serve-2:8080"} {
		if !strings.Contains(string(conf), "server "+svc) {
			t.Errorf("nginx.conf does not balance over %s", svc)
		}
	}

	var prom struct {
		RuleFiles     []string `json:"rule_files"`
		ScrapeConfigs []struct {
			Authorization struct {
				Credentials string `json:"credentials"`
			} `json:"authorization"`
			StaticConfigs []struct {
				Targets []string `json:"targets"`
			} `json:"static_configs"`
		} `json:"scrape_configs"`
	}
	data, _ = os.ReadFile("prometheus/prometheus.yml")
	if err := yaml.Unmarshal(data, &prom); err != nil {
		t.Fatalf("prometheus.yml: %v", err)
	}
	targets := ""
	for _, sc := range prom.ScrapeConfigs {
		if sc.Authorization.Credentials != fmt.Sprint(asMap(compose.Services["serve-1"]["environment"])["EXAMHALL_METRICS_TOKEN"]) {
			t.Error("Prometheus does not send the compose metrics token")
		}
		for _, s := range sc.StaticConfigs {
			targets += strings.Join(s.Targets, " ") + " "
		}
	}
	for _, want := range []string{"serve-1:8080", "serve-2:8080", "grader:9091"} {
		if !strings.Contains(targets, want) {
			t.Errorf("Prometheus does not scrape %s", want)
		}
	}
	if len(prom.RuleFiles) != 1 || filepath.Base(prom.RuleFiles[0]) != "alerts.yml" {
		t.Errorf("Prometheus loads rule files %v, want alerts.yml", prom.RuleFiles)
	}
	provider, _ := os.ReadFile("grafana/provisioning/dashboards/examhall.yaml")
	source, _ := os.ReadFile("grafana/provisioning/datasources/prometheus.yaml")
	if !strings.Contains(string(provider), "/var/lib/grafana/dashboards") || !strings.Contains(string(source), "http://prometheus:9090") {
		t.Error("Grafana is not provisioned with the dashboards and the Prometheus data source")
	}
}

func TestDockerfile(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	df := string(data)
	for what, pattern := range map[string]string{
		"a build stage":         `(?m)^FROM golang:\S+ AS build$`,
		"a static binary":       `CGO_ENABLED=0 .*go build .* ./cmd/examhall`,
		"a minimal final image": `(?m)^FROM gcr.io/distroless/static\S*$`,
		"a non-root user":       `(?m)^USER 65532:65532$`,
		"examhall as entry":     `(?m)^ENTRYPOINT \["/examhall"\]$`,
		"serve by default":      `(?m)^CMD \["serve"\]$`,
	} {
		if !regexp.MustCompile(pattern).MatchString(df) {
			t.Errorf("Dockerfile lacks %s (%s)", what, pattern)
		}
	}
	if n := strings.Count(df, "\nFROM "); n != 2 {
		t.Errorf("Dockerfile has %d stages, want 2", n)
	}
	go1 := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(must(os.ReadFile("../go.mod")))
	if go1 == nil || !strings.Contains(df, "FROM golang:"+string(go1[1])+" ") {
		t.Errorf("the build image's Go is not go.mod's %s", go1)
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
