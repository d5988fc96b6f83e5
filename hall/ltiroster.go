package hall

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"examhall"
)

// Names and Role Provisioning Services 2.0: the learners of a course an
// exam was launched from become its candidates before anyone launches.

const (
	scopeNRPS       = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
	nrpsMediaType   = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
	nrpsMaxPages    = 1000
	nrpsMaxPageBody = 16 << 20
)

type ltiNRPS struct {
	URL      string   `json:"context_memberships_url"`
	Versions []string `json:"service_versions,omitempty"`
}

// rememberRoster records the course roster of a staff launch.
func (h *Hall) rememberRoster(ctx context.Context, p *examhall.LTIPlatform, e *examhall.Exam, c *ltiClaims) error {
	if c.NRPS == nil || c.NRPS.URL == "" {
		return nil
	}
	if u, err := url.Parse(c.NRPS.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return examhall.Errorf(examhall.EBadRequest, "The launch's context_memberships_url is not a URL.")
	}
	return h.b.LTI.PutRoster(ctx, &examhall.LTIRoster{Exam: e.ID, Platform: p.ID, URL: c.NRPS.URL})
}

// LTIRoster implements examhall.LTIService.
func (h *Hall) LTIRoster(ctx context.Context, exam string) (*examhall.LTIRosterResult, error) {
	who, err := examhall.StaffFrom(ctx)
	if err != nil {
		return nil, err
	}
	st, _, err := h.ltiStores()
	if err != nil {
		return nil, err
	}
	e, err := h.exam(ctx, exam)
	if err != nil {
		return nil, err
	}
	rosters, err := st.Rosters(ctx, exam)
	if err != nil {
		return nil, err
	}
	if len(rosters) == 0 {
		return nil, examhall.Errorf(examhall.EConflict, "No course roster is known for exam %q: an instructor must launch it once from the course (with the platform's names and roles service on).", exam)
	}
	existing, err := h.b.Candidates.Candidates(ctx, exam)
	if err != nil {
		return nil, err
	}
	have := make(map[string]bool, len(existing))
	for _, c := range existing {
		have[c.ID] = true
	}
	res := &examhall.LTIRosterResult{Exam: exam, Added: []string{}}
	var add []*examhall.Candidate
	for _, r := range rosters {
		p, err := h.platformByID(ctx, r.Platform)
		if err != nil {
			return nil, err
		}
		err = h.eachMember(ctx, p, r.URL, func(m *nrpsMember) {
			res.Members++
			if (m.Status != "" && m.Status != "Active") || !examhall.LTILearner(m.Roles) {
				return
			}
			res.Learners++
			id := ltiUser(ltiCandidatePrefix, p.Issuer, m.UserID)
			if have[id] {
				return
			}
			have[id] = true
			add = append(add, &examhall.Candidate{Exam: exam, ID: id, CodeHash: h.keys.CodeHash(exam, id, randomToken(32)), CreatedAt: h.Now()})
			res.Added = append(res.Added, id)
		})
		if err != nil {
			return nil, err
		}
	}
	if len(add) > 0 {
		if err := h.b.Candidates.PutCandidates(ctx, e.ID, add); err != nil {
			return nil, err
		}
	}
	h.audit(ctx, &examhall.Event{Kind: "lti_roster", Exam: exam, Actor: who.Staff, Detail: fmt.Sprintf("%d added of %d learners", len(add), res.Learners)})
	return res, nil
}

type nrpsMember struct {
	Status string   `json:"status"`
	Name   string   `json:"name"`
	UserID string   `json:"user_id"`
	Roles  []string `json:"roles"`
}

// eachMember calls fn with every member of a roster, following the
// pages' next links.
func (h *Hall) eachMember(ctx context.Context, p *examhall.LTIPlatform, u string, fn func(*nrpsMember)) error {
	for page := 0; u != ""; page++ {
		if page == nrpsMaxPages {
			return examhall.Errorf(examhall.EBadRequest, "The platform's roster has more than %d pages.", nrpsMaxPages)
		}
		tok, err := h.accessToken(ctx, p, scopeNRPS)
		if err != nil {
			return examhall.Errorf(examhall.EBadRequest, "The platform refused the roster: %s.", err)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Accept", nrpsMediaType)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := h.jwks.client.Do(req)
		if err != nil {
			return examhall.Errorf(examhall.EBadRequest, "The platform's roster cannot be read: %s.", err)
		}
		var body struct {
			Members []nrpsMember `json:"members"`
		}
		if resp.StatusCode != http.StatusOK {
			msg := snippet(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusUnauthorized {
				h.agsTokens.forget(p.ID + " " + scopeNRPS)
			}
			return examhall.Errorf(examhall.EBadRequest, "The platform's roster answered %s: %s", resp.Status, msg)
		}
		err = json.NewDecoder(io.LimitReader(resp.Body, nrpsMaxPageBody)).Decode(&body)
		resp.Body.Close()
		if err != nil {
			return examhall.Errorf(examhall.EBadRequest, "The platform's roster is not a membership container: %s.", err)
		}
		for i := range body.Members {
			if body.Members[i].UserID != "" {
				fn(&body.Members[i])
			}
		}
		u = nextLink(resp.Header, u)
	}
	return nil
}

// nextLink returns the URL of a Link header's rel="next", resolved against
// the page's URL, or "".
func nextLink(h http.Header, base string) string {
	for _, v := range h.Values("Link") {
		for _, part := range strings.Split(v, ",") {
			segs := strings.Split(part, ";")
			target := strings.TrimSpace(segs[0])
			if !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
				continue
			}
			for _, p := range segs[1:] {
				p = strings.TrimSpace(p)
				if p == `rel="next"` || p == "rel=next" {
					b, err := url.Parse(base)
					if err != nil {
						return ""
					}
					n, err := b.Parse(strings.Trim(target, "<>"))
					if err != nil {
						return ""
					}
					return n.String()
				}
			}
		}
	}
	return ""
}
