package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"examhall/examhalltest"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// browser is a headless Chromium tab on a test server.
type browser struct {
	t   *testing.T
	ctx context.Context
	srv *examhalltest.Server
}

// newBrowser starts Chromium (EXAMHALL_TEST_CHROMIUM) or skips the test.
func newBrowser(t *testing.T, srv *examhalltest.Server) *browser {
	t.Helper()
	exe := os.Getenv("EXAMHALL_TEST_CHROMIUM")
	if exe == "" {
		if os.Getenv("EXAMHALL_TEST_REQUIRE") == "1" {
			t.Fatal("EXAMHALL_TEST_CHROMIUM is not set and EXAMHALL_TEST_REQUIRE=1")
		}
		t.Skip("EXAMHALL_TEST_CHROMIUM is not set: no browser tests")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() {
		cancelTime()
		cancelTab()
		cancelAlloc()
	})
	return &browser{t: t, ctx: ctx, srv: srv}
}

// do runs steps and fails the test on an error.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// waitText waits until the element's text contains want.
func (b *browser) waitText(sel, want string) {
	b.t.Helper()
	expr := fmt.Sprintf(`(document.querySelector(%q)?.textContent || "").includes(%q)`, sel, want)
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(20*time.Second), chromedp.WithPollingInterval(100*time.Millisecond))); err != nil {
		got := eval[string](b, fmt.Sprintf(`document.querySelector(%q)?.textContent || "(no element)"`, sel))
		b.t.Fatalf("waiting for %s to say %q: %v; it says %q", sel, want, err, strings.TrimSpace(got))
	}
}

// waitJS waits until a JavaScript expression is true.
func (b *browser) waitJS(what, expr string) {
	b.t.Helper()
	b.waitJSFor(what, 20*time.Second, expr)
}

// waitJSFor waits up to d until a JavaScript expression is true.
func (b *browser) waitJSFor(what string, d time.Duration, expr string) {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(d), chromedp.WithPollingInterval(100*time.Millisecond))); err != nil {
		b.t.Fatalf("waiting until %s: %v", what, err)
	}
}

// network cuts or restores the network: "all" cuts every request and tells
// the page it is offline; "api" cuts only the API (the page itself still
// loads, as from a cache); "" restores it.
func (b *browser) network(mode string) {
	b.t.Helper()
	var rules []*network.Conditions
	switch mode {
	case "all":
		rules = []*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}}
	case "api":
		rules = []*network.Conditions{{URLPattern: b.srv.URL + "/api/*", Offline: true, DownloadThroughput: -1, UploadThroughput: -1}}
	}
	if rules == nil {
		rules = []*network.Conditions{}
	}
	if _, err := chromedp.Call(b.ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: rules}); err != nil {
		b.t.Fatalf("network conditions: %v", err)
	}
	if _, err := chromedp.Call(b.ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: mode != "", DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		b.t.Fatalf("network state: %v", err)
	}
}

// shot saves a screenshot of the page as docs/screenshots/NAME.png when
// EXAMHALL_SCREENSHOTS names that directory.
func (b *browser) shot(name string) {
	b.t.Helper()
	dir := os.Getenv("EXAMHALL_SCREENSHOTS")
	if dir == "" {
		return
	}
	eval[bool](b, `window.scrollTo(0, 0), true`)
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
	b.save(name, png)
}

// shotTall is shot with a window as tall as the page (at most 2400 px).
func (b *browser) shotTall(name string) {
	b.t.Helper()
	if os.Getenv("EXAMHALL_SCREENSHOTS") == "" {
		return
	}
	h := min(eval[int](b, `document.documentElement.scrollHeight`), 2400)
	b.do("tall window", chromedp.EmulateViewport(1280, int64(h)))
	b.shot(name)
	b.do("usual window", chromedp.EmulateViewport(1280, 900))
}

func (b *browser) save(name string, png []byte) {
	b.t.Helper()
	dir := os.Getenv("EXAMHALL_SCREENSHOTS")
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}
