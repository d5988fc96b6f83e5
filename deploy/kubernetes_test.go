package deploy_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/yaml"
)

// kustomization is the part of a kustomization file examhall uses; decoding
// strictly into it catches misspelt keys.
type kustomization struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Namespace  string `json:"namespace,omitempty"`
	Labels     []struct {
		Pairs map[string]string `json:"pairs"`
	} `json:"labels,omitempty"`
	Resources []string `json:"resources"`
	Images    []struct {
		Name    string `json:"name"`
		NewName string `json:"newName,omitempty"`
		NewTag  string `json:"newTag,omitempty"`
	} `json:"images,omitempty"`
	Patches []struct {
		Path string `json:"path"`
	} `json:"patches,omitempty"`
}

// manifests are the decoded objects of one kustomization, by kind and name.
type manifests struct {
	objects map[string]any // "Kind/name" → typed object
}

func (m *manifests) get(t *testing.T, kind, name string) any {
	t.Helper()
	o, ok := m.objects[kind+"/"+name]
	if !ok {
		t.Fatalf("no %s %q in the manifests", kind, name)
	}
	return o
}

// decodeStrict decodes a manifest into the k8s.io/api type of its kind,
// failing on unknown or duplicate fields. Kinds outside k8s.io/api
// (ServiceMonitor) decode as unstructured maps.
func decodeStrict(t *testing.T, file string) (kind, name string, obj any) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var meta struct {
		metav1.TypeMeta `json:",inline"`
		Metadata        metav1.ObjectMeta `json:"metadata"`
	}
	if err := yaml.Unmarshal(data, &meta); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	switch meta.Kind {
	case "Deployment":
		obj = &appsv1.Deployment{}
	case "Service":
		obj = &corev1.Service{}
	case "ConfigMap":
		obj = &corev1.ConfigMap{}
	case "Namespace":
		obj = &corev1.Namespace{}
	case "Ingress":
		obj = &networkingv1.Ingress{}
	case "HorizontalPodAutoscaler":
		obj = &autoscalingv2.HorizontalPodAutoscaler{}
	case "PodDisruptionBudget":
		obj = &policyv1.PodDisruptionBudget{}
	case "CronJob":
		obj = &batchv1.CronJob{}
	case "ServiceAccount":
		obj = &corev1.ServiceAccount{}
	case "Role":
		obj = &rbacv1.Role{}
	case "RoleBinding":
		obj = &rbacv1.RoleBinding{}
	case "ServiceMonitor", "PrometheusRule", "ScaledObject":
		obj = &map[string]any{}
	default:
		t.Fatalf("%s: kind %q has no check", file, meta.Kind)
	}
	if err := yaml.UnmarshalStrict(data, obj); err != nil {
		t.Fatalf("%s: strict decoding into %T: %v", file, obj, err)
	}
	return meta.Kind, meta.Metadata.Name, obj
}

// loadKustomization decodes dir's kustomization and every resource and
// patch it names, which must exist.
func loadKustomization(t *testing.T, dir string) (*kustomization, *manifests, *manifests) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "kustomization.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var k kustomization
	if err := yaml.UnmarshalStrict(data, &k); err != nil {
		t.Fatalf("%s/kustomization.yaml: %v", dir, err)
	}
	if k.Kind != "Kustomization" || len(k.Resources) == 0 {
		t.Fatalf("%s/kustomization.yaml: kind %q with %d resources", dir, k.Kind, len(k.Resources))
	}
	res, patches := &manifests{objects: map[string]any{}}, &manifests{objects: map[string]any{}}
	for _, r := range k.Resources {
		p := filepath.Join(dir, r)
		st, err := os.Stat(p)
		if err != nil {
			t.Errorf("%s lists %s, which does not exist", dir, r)
			continue
		}
		if st.IsDir() {
			if _, err := os.Stat(filepath.Join(p, "kustomization.yaml")); err != nil {
				t.Errorf("%s lists directory %s without a kustomization.yaml", dir, r)
			}
			continue
		}
		kind, name, obj := decodeStrict(t, p)
		res.objects[kind+"/"+name] = obj
	}
	for _, pt := range k.Patches {
		p := filepath.Join(dir, pt.Path)
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s patches with %s, which does not exist", dir, pt.Path)
			continue
		}
		kind, name, obj := decodeStrict(t, p)
		patches.objects[kind+"/"+name] = obj
	}
	return &k, res, patches
}

const base = "kubernetes/base"

func TestKustomizationsListExistingFiles(t *testing.T) {
	t.Parallel()
	_, res, _ := loadKustomization(t, base)
	files, _ := filepath.Glob(filepath.Join(base, "*.yaml"))
	if want := len(files) - 1; len(res.objects) != want {
		t.Errorf("the base lists %d manifests, its directory has %d: one is missing from kustomization.yaml", len(res.objects), want)
	}
	overlay := "kubernetes/overlays/example"
	k, _, patches := loadKustomization(t, overlay)
	for key := range patches.objects {
		if _, ok := res.objects[key]; !ok {
			t.Errorf("overlay patch %s matches nothing in the base", key)
		}
	}
	if len(k.Images) == 0 || k.Images[0].Name != "examhall" {
		t.Errorf("overlay sets images %+v, want the examhall image", k.Images)
	}
	serve := res.get(t, "Deployment", "examhall").(*appsv1.Deployment)
	if img := serve.Spec.Template.Spec.Containers[0].Image; img != "examhall:latest" {
		t.Errorf("base image %q: the overlay's image name examhall would not match it", img)
	}
}

func TestServeDeployment(t *testing.T) {
	t.Parallel()
	_, res, _ := loadKustomization(t, base)
	d := res.get(t, "Deployment", "examhall").(*appsv1.Deployment)
	podLabels := d.Spec.Template.Labels
	checkSelector(t, "serve Deployment", d.Spec.Selector, podLabels)
	if d.Spec.Replicas != nil {
		t.Error("serve Deployment sets replicas: the HorizontalPodAutoscaler owns them")
	}
	spec := d.Spec.Template.Spec
	if len(spec.Containers) != 1 {
		t.Fatalf("serve pod has %d containers", len(spec.Containers))
	}
	c := spec.Containers[0]
	checkResources(t, "serve", c, resource.MustParse("1"))
	for _, pr := range []struct {
		name  string
		probe *corev1.Probe
		path  string
	}{{"liveness", c.LivenessProbe, "/healthz"}, {"readiness", c.ReadinessProbe, "/readyz"}} {
		if pr.probe == nil || pr.probe.HTTPGet == nil {
			t.Errorf("serve container has no HTTP %s probe", pr.name)
			continue
		}
		if pr.probe.HTTPGet.Path != pr.path || !hasPort(c, pr.probe.HTTPGet.Port.String()) {
			t.Errorf("%s probe GET %s on port %s, want %s on a container port", pr.name, pr.probe.HTTPGet.Path, pr.probe.HTTPGet.Port.String(), pr.path)
		}
	}
	if c.Lifecycle == nil || c.Lifecycle.PreStop == nil || c.Lifecycle.PreStop.Sleep == nil || c.Lifecycle.PreStop.Sleep.Seconds <= 0 {
		t.Error("serve container has no preStop sleep")
	} else if grace := spec.TerminationGracePeriodSeconds; grace == nil || *grace <= c.Lifecycle.PreStop.Sleep.Seconds+20 {
		t.Errorf("terminationGracePeriodSeconds %v leaves no room for the preStop sleep (%d s) and the 20 s shutdown", grace, c.Lifecycle.PreStop.Sleep.Seconds)
	}
	if len(spec.TopologySpreadConstraints) == 0 {
		t.Error("serve pods have no topologySpreadConstraints")
	}
	for _, tsc := range spec.TopologySpreadConstraints {
		checkSelector(t, "topology spread "+tsc.TopologyKey, tsc.LabelSelector, podLabels)
	}
	checkEnvFrom(t, res, "serve", c)
	checkNonRoot(t, "serve", spec, c)
}

func TestGraderDeployment(t *testing.T) {
	t.Parallel()
	_, res, _ := loadKustomization(t, base)
	d := res.get(t, "Deployment", "examhall-grader").(*appsv1.Deployment)
	checkSelector(t, "grader Deployment", d.Spec.Selector, d.Spec.Template.Labels)
	c := d.Spec.Template.Spec.Containers[0]
	if len(c.Args) == 0 || c.Args[0] != "grader" {
		t.Errorf("grader container args %v, want grader", c.Args)
	}
	checkResources(t, "grader", c, resource.MustParse("500m"))
	checkEnvFrom(t, res, "grader", c)
	checkNonRoot(t, "grader", d.Spec.Template.Spec, c)
	serve := res.get(t, "Deployment", "examhall").(*appsv1.Deployment)
	if labels.SelectorFromSet(d.Spec.Selector.MatchLabels).Matches(labels.Set(serve.Spec.Template.Labels)) {
		t.Error("the grader's selector also selects the serve pods")
	}
}

func TestServiceIngressHPAPDB(t *testing.T) {
	t.Parallel()
	_, res, _ := loadKustomization(t, base)
	d := res.get(t, "Deployment", "examhall").(*appsv1.Deployment)
	c := d.Spec.Template.Spec.Containers[0]
	svc := res.get(t, "Service", "examhall").(*corev1.Service)
	if !labels.SelectorFromSet(svc.Spec.Selector).Matches(labels.Set(d.Spec.Template.Labels)) {
		t.Errorf("Service selector %v does not select the serve pods %v", svc.Spec.Selector, d.Spec.Template.Labels)
	}
	for _, p := range svc.Spec.Ports {
		if !hasPort(c, p.TargetPort.String()) {
			t.Errorf("Service port %s targets %s, which the container does not have", p.Name, p.TargetPort.String())
		}
	}

	ing := res.get(t, "Ingress", "examhall").(*networkingv1.Ingress)
	if ing.Spec.IngressClassName == nil || *ing.Spec.IngressClassName != "alb" {
		t.Errorf("Ingress class %v, want alb", ing.Spec.IngressClassName)
	}
	for _, a := range []string{"alb.ingress.kubernetes.io/scheme", "alb.ingress.kubernetes.io/target-type", "alb.ingress.kubernetes.io/healthcheck-path"} {
		if ing.Annotations[a] == "" {
			t.Errorf("Ingress lacks annotation %s", a)
		}
	}
	if got := ing.Annotations["alb.ingress.kubernetes.io/healthcheck-path"]; got != "/readyz" {
		t.Errorf("ALB health check path %q, want /readyz", got)
	}
	metricsBlocked := false
	for _, rule := range ing.Spec.Rules {
		for _, p := range rule.HTTP.Paths {
			b := p.Backend.Service
			if b != nil && b.Port.Name == "use-annotation" {
				// An ALB action: it must be defined, and /metrics must be one.
				var action struct {
					Type                string `json:"type"`
					FixedResponseConfig struct {
						StatusCode  string `json:"statusCode"`
						MessageBody string `json:"messageBody"`
					} `json:"fixedResponseConfig"`
				}
				if err := json.Unmarshal([]byte(ing.Annotations["alb.ingress.kubernetes.io/actions."+b.Name]), &action); err != nil || action.Type == "" {
					t.Errorf("Ingress path %s uses ALB action %s, which no annotation defines as JSON (%v)", p.Path, b.Name, err)
				}
				if p.Path == "/metrics" && (action.FixedResponseConfig.StatusCode != "404" || !json.Valid([]byte(action.FixedResponseConfig.MessageBody))) {
					t.Errorf("the ALB's answer on /metrics is %+v, want a 404 with a JSON error", action)
				}
				metricsBlocked = metricsBlocked || p.Path == "/metrics"
				continue
			}
			if b == nil || b.Name != svc.Name || !serviceHasPort(svc, b.Port) {
				t.Errorf("Ingress path %s goes to %+v, not a port of Service %s", p.Path, b, svc.Name)
			}
		}
	}
	if !metricsBlocked {
		t.Error("the Ingress lets the internet read /metrics")
	}

	hpa := res.get(t, "HorizontalPodAutoscaler", "examhall").(*autoscalingv2.HorizontalPodAutoscaler)
	ref := hpa.Spec.ScaleTargetRef
	if ref.Kind != "Deployment" || ref.Name != d.Name || ref.APIVersion != "apps/v1" {
		t.Errorf("HPA targets %+v, want the serve Deployment %s", ref, d.Name)
	}
	if hpa.Spec.MinReplicas == nil || *hpa.Spec.MinReplicas < 2 || hpa.Spec.MaxReplicas < *hpa.Spec.MinReplicas {
		t.Errorf("HPA replicas min %v max %d", hpa.Spec.MinReplicas, hpa.Spec.MaxReplicas)
	}
	cpu70 := false
	for _, m := range hpa.Spec.Metrics {
		if m.Resource != nil && m.Resource.Name == corev1.ResourceCPU && m.Resource.Target.AverageUtilization != nil && *m.Resource.Target.AverageUtilization == 70 {
			cpu70 = true
		}
	}
	if !cpu70 {
		t.Error("HPA does not target 70% CPU utilization")
	}
	// It also scales on the signal that rises at the start, which the
	// Prometheus Adapter's rule serves.
	logins := false
	for _, m := range hpa.Spec.Metrics {
		if m.Pods != nil && m.Pods.Metric.Name == "examhall_admission_login_utilization" && m.Pods.Target.AverageValue != nil {
			logins = true
		}
	}
	if !logins {
		t.Error("HPA does not scale on examhall_admission_login_utilization (logins in flight over the login limit)")
	}
	rules, err := os.ReadFile("kubernetes/prometheus-adapter-rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(rules), `as: "examhall_admission_login_utilization"`) {
		t.Error("the Prometheus Adapter rules do not serve examhall_admission_login_utilization")
	}

	pdb := res.get(t, "PodDisruptionBudget", "examhall").(*policyv1.PodDisruptionBudget)
	checkSelector(t, "PodDisruptionBudget", pdb.Spec.Selector, d.Spec.Template.Labels)
	if pdb.Spec.MaxUnavailable == nil && pdb.Spec.MinAvailable == nil {
		t.Error("PodDisruptionBudget sets neither maxUnavailable nor minAvailable")
	}
}

func TestServiceMonitor(t *testing.T) {
	t.Parallel()
	_, res, _ := loadKustomization(t, base)
	sm := *res.get(t, "ServiceMonitor", "examhall").(*map[string]any)
	if sm["apiVersion"] != "monitoring.coreos.com/v1" {
		t.Errorf("ServiceMonitor apiVersion %v", sm["apiVersion"])
	}
	spec, _ := sm["spec"].(map[string]any)
	sel, _ := spec["selector"].(map[string]any)
	match := map[string]string{}
	for k, v := range asMap(sel["matchLabels"]) {
		match[k] = fmt.Sprint(v)
	}
	if len(match) == 0 {
		t.Fatal("ServiceMonitor has no selector.matchLabels")
	}
	ports := map[string]bool{}
	for _, name := range []string{"examhall", "examhall-grader"} {
		svc := res.get(t, "Service", name).(*corev1.Service)
		if !labels.SelectorFromSet(match).Matches(labels.Set(svc.Labels)) {
			t.Errorf("ServiceMonitor does not select Service %s (labels %v)", name, svc.Labels)
		}
		for _, p := range svc.Spec.Ports {
			ports[p.Name] = true
		}
	}
	endpoints, _ := spec["endpoints"].([]any)
	if len(endpoints) == 0 {
		t.Fatal("ServiceMonitor has no endpoints")
	}
	for _, e := range endpoints {
		ep := asMap(e)
		if !ports[fmt.Sprint(ep["port"])] || ep["path"] != "/metrics" {
			t.Errorf("ServiceMonitor endpoint %v: port not on a Service, or path not /metrics", ep)
		}
		if tok := asMap(ep["bearerTokenSecret"]); tok["name"] != "examhall-secrets" || tok["key"] != "EXAMHALL_METRICS_TOKEN" {
			t.Errorf("ServiceMonitor endpoint %v does not send the metrics token", ep["port"])
		}
	}
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func checkSelector(t *testing.T, what string, sel *metav1.LabelSelector, podLabels map[string]string) {
	t.Helper()
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil || sel == nil || s.Empty() {
		t.Errorf("%s: selector %v is empty or invalid (%v)", what, sel, err)
		return
	}
	if !s.Matches(labels.Set(podLabels)) {
		t.Errorf("%s: selector %v does not match the pod labels %v", what, s, podLabels)
	}
}

func checkResources(t *testing.T, what string, c corev1.Container, cpu resource.Quantity) {
	t.Helper()
	req, lim := c.Resources.Requests, c.Resources.Limits
	if got := req[corev1.ResourceCPU]; got.Cmp(cpu) != 0 {
		t.Errorf("%s requests cpu %s, want %s", what, got.String(), cpu.String())
	}
	if _, ok := req[corev1.ResourceMemory]; !ok {
		t.Errorf("%s requests no memory", what)
	}
	if _, ok := lim[corev1.ResourceMemory]; !ok {
		t.Errorf("%s has no memory limit", what)
	}
}

func checkEnvFrom(t *testing.T, res *manifests, what string, c corev1.Container) {
	t.Helper()
	var cm, secret bool
	for _, e := range c.EnvFrom {
		if e.ConfigMapRef != nil {
			res.get(t, "ConfigMap", e.ConfigMapRef.Name)
			cm = true
		}
		if e.SecretRef != nil && e.SecretRef.Name == "examhall-secrets" {
			secret = true
		}
	}
	if !cm || !secret {
		t.Errorf("%s container takes its environment from a ConfigMap (%v) and the Secret examhall-secrets (%v), want both", what, cm, secret)
	}
}

func checkNonRoot(t *testing.T, what string, spec corev1.PodSpec, c corev1.Container) {
	t.Helper()
	if spec.SecurityContext == nil || spec.SecurityContext.RunAsNonRoot == nil || !*spec.SecurityContext.RunAsNonRoot {
		t.Errorf("%s pod does not require a non-root user", what)
	}
	if c.SecurityContext == nil || c.SecurityContext.ReadOnlyRootFilesystem == nil || !*c.SecurityContext.ReadOnlyRootFilesystem {
		t.Errorf("%s container's root filesystem is writable", what)
	}
}

func hasPort(c corev1.Container, port string) bool {
	for _, p := range c.Ports {
		if p.Name == port || fmt.Sprint(p.ContainerPort) == port {
			return true
		}
	}
	return false
}

func serviceHasPort(svc *corev1.Service, p networkingv1.ServiceBackendPort) bool {
	for _, sp := range svc.Spec.Ports {
		if (p.Name != "" && sp.Name == p.Name) || (p.Number != 0 && sp.Port == p.Number) {
			return true
		}
	}
	return false
}

func TestPrometheusRuleMatchesAlertsFile(t *testing.T) {
	t.Parallel()
	_, res, _ := loadKustomization(t, base)
	pr := *res.get(t, "PrometheusRule", "examhall").(*map[string]any)
	if pr["apiVersion"] != "monitoring.coreos.com/v1" {
		t.Errorf("PrometheusRule apiVersion %v", pr["apiVersion"])
	}
	data, err := os.ReadFile("prometheus/alerts.yml")
	if err != nil {
		t.Fatal(err)
	}
	var file map[string]any
	if err := yaml.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	got, want := asMap(pr["spec"])["groups"], file["groups"]
	if want == nil || !reflect.DeepEqual(got, want) {
		t.Errorf("the PrometheusRule's groups differ from prometheus/alerts.yml:\n%s", cmp.Diff(want, got))
	}
}

// TestPrestartScaling checks the two ways to have the pods of the login
// spike running before an exam starts: CronJobs that patch the HPA's
// minReplicas (with the rights to do so and nothing more), and the KEDA
// ScaledObject with a cron trigger.
func TestPrestartScaling(t *testing.T) {
	t.Parallel()
	_, res, _ := loadKustomization(t, base)
	hpa := res.get(t, "HorizontalPodAutoscaler", "examhall").(*autoscalingv2.HorizontalPodAutoscaler)
	sa := res.get(t, "ServiceAccount", "examhall-scaler").(*corev1.ServiceAccount)
	role := res.get(t, "Role", "examhall-scaler").(*rbacv1.Role)
	rb := res.get(t, "RoleBinding", "examhall-scaler").(*rbacv1.RoleBinding)
	if rb.RoleRef.Kind != "Role" || rb.RoleRef.Name != role.Name || len(rb.Subjects) != 1 || rb.Subjects[0].Name != sa.Name {
		t.Errorf("RoleBinding %+v does not give Role %s to ServiceAccount %s", rb, role.Name, sa.Name)
	}
	canPatch := false
	for _, r := range role.Rules {
		if slices.Contains(r.APIGroups, "autoscaling") && slices.Contains(r.Resources, "horizontalpodautoscalers") &&
			slices.Contains(r.Verbs, "patch") && slices.Equal(r.ResourceNames, []string{hpa.Name}) {
			canPatch = true
		}
		if slices.Contains(r.Verbs, "*") || slices.Contains(r.Resources, "*") {
			t.Errorf("Role %s grants %+v: more than patching the HPA", role.Name, r)
		}
	}
	if !canPatch {
		t.Errorf("Role %s cannot patch the HPA %s alone", role.Name, hpa.Name)
	}
	for _, name := range []string{"examhall-prestart", "examhall-poststart"} {
		cj := res.get(t, "CronJob", name).(*batchv1.CronJob)
		if len(strings.Fields(cj.Spec.Schedule)) != 5 || cj.Spec.TimeZone == nil {
			t.Errorf("CronJob %s: schedule %q time zone %v, want five cron fields and a time zone", name, cj.Spec.Schedule, cj.Spec.TimeZone)
		}
		pod := cj.Spec.JobTemplate.Spec.Template.Spec
		if pod.ServiceAccountName != sa.Name {
			t.Errorf("CronJob %s runs as %q, want %s", name, pod.ServiceAccountName, sa.Name)
		}
		c := pod.Containers[0]
		cmd := strings.Join(append(c.Command, c.Args...), " ")
		if !strings.Contains(cmd, "patch hpa "+hpa.Name) || !strings.Contains(cmd, "minReplicas") {
			t.Errorf("CronJob %s runs %q, which does not patch the HPA's minReplicas", name, cmd)
		}
		min := ""
		for _, e := range c.Env {
			if e.Name == "MIN_REPLICAS" {
				min = e.Value
			}
		}
		if n, err := strconv.Atoi(min); err != nil || n < int(*hpa.Spec.MinReplicas) || n > int(hpa.Spec.MaxReplicas) {
			t.Errorf("CronJob %s sets minReplicas %q, outside the HPA's %d..%d", name, min, *hpa.Spec.MinReplicas, hpa.Spec.MaxReplicas)
		}
		checkNonRoot(t, "CronJob "+name, pod, c)
	}

	_, _, obj := decodeStrict(t, "kubernetes/keda/scaledobject.yaml")
	so := *obj.(*map[string]any)
	spec := asMap(so["spec"])
	if ref := asMap(spec["scaleTargetRef"]); ref["name"] != "examhall" || ref["kind"] != "Deployment" {
		t.Errorf("ScaledObject targets %v, want the Deployment examhall", ref)
	}
	kinds := map[string]bool{}
	served := servedMetrics(t)
	triggers, _ := spec["triggers"].([]any)
	for _, tr := range triggers {
		tr := asMap(tr)
		kind, _ := tr["type"].(string)
		kinds[kind] = true
		md := asMap(tr["metadata"])
		switch kind {
		case "cron":
			for _, k := range []string{"start", "end"} {
				if s, _ := md[k].(string); len(strings.Fields(s)) != 5 {
					t.Errorf("cron trigger %s %q: want five fields", k, md[k])
				}
			}
			if n, err := strconv.Atoi(fmt.Sprint(md["desiredReplicas"])); err != nil || n < 2 {
				t.Errorf("cron trigger desiredReplicas %v", md["desiredReplicas"])
			}
		case "prometheus":
			checkExprs(t, "ScaledObject", []string{fmt.Sprint(md["query"])}, served)
		}
	}
	for _, k := range []string{"cron", "prometheus", "cpu"} {
		if !kinds[k] {
			t.Errorf("ScaledObject has no %s trigger", k)
		}
	}
	// The adapter's query, once its templates are filled in, selects
	// metrics examhall serves.
	var adapter struct {
		Rules struct {
			Custom []struct {
				MetricsQuery string `json:"metricsQuery"`
			} `json:"custom"`
		} `json:"rules"`
	}
	data, err := os.ReadFile("kubernetes/prometheus-adapter-rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &adapter); err != nil || len(adapter.Rules.Custom) == 0 {
		t.Fatalf("prometheus-adapter-rules.yaml: %v", err)
	}
	for _, r := range adapter.Rules.Custom {
		q := strings.NewReplacer(",<<.LabelMatchers>>", "", "<<.LabelMatchers>>", "", "<<.GroupBy>>", "pod").Replace(r.MetricsQuery)
		checkExprs(t, "Prometheus Adapter rule", []string{q}, served)
	}
}
