package deploy_test

import (
	"encoding/json"
	"errors"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"examhall/examhalltest"

	"github.com/prometheus/client_golang/prometheus"
	"sigs.k8s.io/yaml"
)

// externalMetrics are the metrics the rules and dashboard take from
// Kubernetes (cAdvisor, kube-state-metrics), not from examhall.
var externalMetrics = map[string]bool{
	"container_cpu_usage_seconds_total":  true,
	"kube_pod_container_resource_limits": true,
}

// promqlKeywords are the words of PromQL that look like metric names.
var promqlKeywords = map[string]bool{
	"by": true, "without": true, "on": true, "ignoring": true, "group_left": true, "group_right": true,
	"and": true, "or": true, "unless": true, "bool": true, "offset": true, "inf": true, "nan": true,
}

var (
	promqlStrings   = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'`)
	promqlMatchers  = regexp.MustCompile(`\{[^{}]*\}`)
	promqlRanges    = regexp.MustCompile(`\[[^\[\]]*\]`)
	promqlGrouping  = regexp.MustCompile(`\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)`)
	promqlIdent     = regexp.MustCompile(`[a-zA-Z_:][a-zA-Z0-9_:]*`)
	promqlTemplates = regexp.MustCompile(`\$\w+`)
)

// metricNames returns the metric names a PromQL expression selects: the
// identifiers left once strings, label matchers, ranges, grouping clauses
// and variables are removed, that are neither functions (followed by "(")
// nor keywords.
func metricNames(expr string) []string {
	e := promqlStrings.ReplaceAllString(expr, `""`)
	e = promqlMatchers.ReplaceAllString(e, " ")
	e = promqlRanges.ReplaceAllString(e, " ")
	e = promqlGrouping.ReplaceAllString(e, " ")
	e = promqlTemplates.ReplaceAllString(e, " ")
	var names []string
	for _, loc := range promqlIdent.FindAllStringIndex(e, -1) {
		word := e[loc[0]:loc[1]]
		rest := strings.TrimLeft(e[loc[1]:], " \t\n")
		if strings.HasPrefix(rest, "(") || promqlKeywords[strings.ToLower(word)] {
			continue
		}
		if loc[0] > 0 && (e[loc[0]-1] >= '0' && e[loc[0]-1] <= '9' || e[loc[0]-1] == '.') {
			continue // the exponent or unit of a number such as 1e3
		}
		if !slices.Contains(names, word) {
			names = append(names, word)
		}
	}
	return names
}

func TestMetricNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		expr string
		want []string
	}{
		{`sum(rate(examhall_saves_total[5m]))`, []string{"examhall_saves_total"}},
		{`histogram_quantile(0.99, sum by (le, route) (rate(examhall_http_request_duration_seconds_bucket{route="PUT /a/{b}",code=~"5.."}[$__rate_interval])))`,
			[]string{"examhall_http_request_duration_seconds_bucket"}},
		{"sum by (namespace, pod) (rate(a_total{container=\"x\"}[2m]))\n /\n sum by (namespace, pod) (b_limits) > 0.9", []string{"a_total", "b_limits"}},
		{`max(examhall_attempts{state="overdue"}) > 0 and on(instance) up == 1`, []string{"examhall_attempts", "up"}},
		{`go_goroutines offset 5m`, []string{"go_goroutines"}},
		{`rate(process_cpu_seconds_total[1m]) * 1e3`, []string{"process_cpu_seconds_total"}},
	}
	for _, tt := range tests {
		if got := metricNames(tt.expr); !slices.Equal(got, tt.want) {
			t.Errorf("metricNames(%q) = %q, want %q", tt.expr, got, tt.want)
		}
	}
}

// servedMetrics returns the metric names of a running embedded server: the
// families its /metrics shows, and those its registry declares that have
// no sample yet (the scale-mode vectors), each with the series names of a
// histogram or summary.
func servedMetrics(t *testing.T) map[string]bool {
	t.Helper()
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Quiet: true})
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("metrics", 600))
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]
	c, login := srv.MustLogin(t, exam, code)
	srv.Do(t, "PUT", "/api/v1/attempts/"+login.Attempt+"/answers", c.Token, `{"answers":[{"question":"q3","response":true,"seq":1}]}`)
	// The scale-mode vectors have no child until an adapter uses them:
	// touch each, as the adapters would.
	sc, failed := srv.Metrics.Scale, errors.New("touched by the test")
	sc.Redis().Call("get", 0, failed)
	sc.Postgres().Call("copy", 0, failed)
	sc.Produced("attempts", 0, nil)
	sc.Produced("attempts", 0, failed)
	sc.Lag("attempts", 0, 0)
	sc.Undecodable("attempts")
	r := srv.Do(t, "GET", "/metrics", "", nil)
	if r.Status != 200 {
		t.Fatalf("GET /metrics = %d", r.Status)
	}
	names := map[string]bool{}
	typeLine := regexp.MustCompile(`(?m)^# TYPE (\S+) (\S+)$`)
	for _, m := range typeLine.FindAllStringSubmatch(string(r.Body), -1) {
		addFamily(names, m[1], m[2])
	}
	// Every metric the registry declares must now be in the text; one that
	// is not is a vector this helper must touch.
	ch := make(chan *prometheus.Desc, 64)
	go func() { srv.Metrics.Registry.Describe(ch); close(ch) }()
	fqName := regexp.MustCompile(`fqName: "([^"]+)"`)
	for d := range ch {
		if m := fqName.FindStringSubmatch(d.String()); m != nil && !names[m[1]] {
			t.Errorf("%s is declared but not on /metrics: touch it in servedMetrics", m[1])
		}
	}
	return names
}

func addFamily(names map[string]bool, name, kind string) {
	names[name] = true
	if kind == "histogram" || kind == "summary" {
		for _, s := range []string{"_bucket", "_sum", "_count"} {
			names[name+s] = true
		}
	}
}

// checkExprs requires every metric the expressions select to be served
// (or to be one of Kubernetes's).
func checkExprs(t *testing.T, what string, exprs []string, served map[string]bool) {
	t.Helper()
	if len(exprs) == 0 {
		t.Fatalf("%s has no expressions", what)
	}
	for _, e := range exprs {
		names := metricNames(e)
		if len(names) == 0 {
			t.Errorf("%s: no metric found in %q", what, e)
		}
		for _, n := range names {
			if !served[n] && !externalMetrics[n] {
				t.Errorf("%s: %q uses %s, which a running server does not export", what, e, n)
			}
		}
	}
}

func TestDashboardMetricsExist(t *testing.T) {
	t.Parallel()
	served := servedMetrics(t)
	data, err := os.ReadFile("grafana/dashboards/examhall.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		UID    string `json:"uid"`
		Panels []struct {
			Title   string `json:"title"`
			Type    string `json:"type"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(data, &dash); err != nil {
		t.Fatal(err)
	}
	var exprs []string
	for _, p := range dash.Panels {
		if p.Type != "row" && len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, tg := range p.Targets {
			exprs = append(exprs, tg.Expr)
		}
	}
	checkExprs(t, "dashboard", exprs, served)
	// Every examhall metric is on the dashboard somewhere.
	all := strings.Join(exprs, "\n")
	var missing []string
	for n := range served {
		base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(n, "_bucket"), "_sum"), "_count")
		if strings.HasPrefix(n, "examhall_") && n == base && !strings.Contains(all, base) {
			missing = append(missing, n)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("examhall metrics on no dashboard panel: %v", missing)
	}
}

// ruleFile is the Prometheus rule file format (what promtool checks), for
// strict decoding.
type ruleFile struct {
	Groups []struct {
		Name     string `json:"name"`
		Interval string `json:"interval,omitempty"`
		Rules    []struct {
			Alert         string            `json:"alert,omitempty"`
			Record        string            `json:"record,omitempty"`
			Expr          string            `json:"expr"`
			For           string            `json:"for,omitempty"`
			KeepFiringFor string            `json:"keep_firing_for,omitempty"`
			Labels        map[string]string `json:"labels,omitempty"`
			Annotations   map[string]string `json:"annotations,omitempty"`
		} `json:"rules"`
	} `json:"groups"`
}

func TestAlertRules(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("prometheus/alerts.yml")
	if err != nil {
		t.Fatal(err)
	}
	var rf ruleFile
	if err := yaml.UnmarshalStrict(data, &rf); err != nil {
		t.Fatalf("alerts.yml: %v", err)
	}
	served := servedMetrics(t)
	var exprs []string
	alerts := map[string]string{}
	for _, g := range rf.Groups {
		if g.Name == "" || len(g.Rules) == 0 {
			t.Errorf("group %q is unnamed or empty", g.Name)
		}
		for _, r := range g.Rules {
			if r.Alert == "" || r.Expr == "" {
				t.Errorf("rule %+v lacks alert or expr", r)
				continue
			}
			if _, dup := alerts[r.Alert]; dup {
				t.Errorf("alert %s defined twice", r.Alert)
			}
			alerts[r.Alert] = r.Expr
			if d, err := time.ParseDuration(r.For); err != nil || d <= 0 {
				t.Errorf("alert %s: for %q is not a duration", r.Alert, r.For)
			}
			if s := r.Labels["severity"]; s != "page" && s != "warn" {
				t.Errorf("alert %s: severity %q, want page or warn", r.Alert, s)
			}
			if r.Annotations["summary"] == "" {
				t.Errorf("alert %s has no summary", r.Alert)
			}
			if strings.Count(r.Expr, "(") != strings.Count(r.Expr, ")") || strings.Count(r.Expr, "{") != strings.Count(r.Expr, "}") {
				t.Errorf("alert %s: unbalanced brackets in %q", r.Alert, r.Expr)
			}
			exprs = append(exprs, r.Expr)
		}
	}
	checkExprs(t, "alerts.yml", exprs, served)
	// The alerts operators asked for, found by what they watch.
	for what, pattern := range map[string]string{
		"save error rate":      `examhall_http_requests_total\{route="PUT /api/v1/attempts/\{attempt\}/answers",code=~"5\.\."\}`,
		"p99 save latency":     `histogram_quantile\(0\.99,[\s\S]*examhall_http_request_duration_seconds_bucket\{route="PUT /api/v1/attempts/\{attempt\}/answers"\}`,
		"consumer lag":         `examhall_grader_consumer_lag`,
		"auto-submit backlog":  `examhall_attempts\{state="overdue"\}`,
		"pods near CPU limit":  `container_cpu_usage_seconds_total[\s\S]*kube_pod_container_resource_limits`,
		"event log production": `examhall_eventlog_produce_failures_total`,
	} {
		re := regexp.MustCompile(pattern)
		found := false
		for _, e := range alerts {
			found = found || re.MatchString(e)
		}
		if !found {
			t.Errorf("no alert on %s", what)
		}
	}
}
