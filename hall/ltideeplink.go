package hall

import (
	"context"
	"slices"
	"time"

	"examhall"

	"github.com/golang-jwt/jwt/v5"
)

// Deep linking 2.0: an instructor adding examhall to a course chooses an
// exam; examhall answers the platform with a signed link to it.

const ltiDeepLinkTTL = 30 * time.Minute

// ltiDeepLink is what a deep linking request leaves for the choice, under
// its ticket.
type ltiDeepLink struct {
	Platform   string `json:"p"`
	Deployment string `json:"d"`
	ReturnURL  string `json:"r"`
	Data       string `json:"x,omitempty"`
}

// deepLinkLaunch offers an instructor the exams to link.
func (h *Hall) deepLinkLaunch(ctx context.Context, p *examhall.LTIPlatform, c *ltiClaims) (*examhall.LTILaunchResult, error) {
	if examhall.LTIStaffRole(c.Roles) == "" {
		return nil, examhall.Errorf(examhall.EForbidden, "Only instructors can add an exam to a course.")
	}
	dl := c.DeepLinking
	if dl == nil || dl.ReturnURL == "" {
		return nil, examhall.Errorf(examhall.EBadRequest, "The deep linking request has no deep_link_return_url.")
	}
	if len(dl.AcceptTypes) > 0 && !slices.Contains(dl.AcceptTypes, "ltiResourceLink") {
		return nil, examhall.Errorf(examhall.EBadRequest, "The platform does not accept links to a resource (ltiResourceLink) here.")
	}
	_, once, err := h.ltiStores()
	if err != nil {
		return nil, err
	}
	exams, err := h.b.Exams.Exams(ctx)
	if err != nil {
		return nil, err
	}
	ticket := randomToken(24)
	if err := h.putOnce(ctx, once, "lti-dl:"+ticket, ltiDeepLink{Platform: p.ID, Deployment: c.DeploymentID, ReturnURL: dl.ReturnURL, Data: dl.Data}, ltiDeepLinkTTL); err != nil {
		return nil, err
	}
	choice := &examhall.LTIDeepLinkChoice{Ticket: ticket, Exams: []examhall.ExamSummary{}}
	for _, e := range exams {
		choice.Exams = append(choice.Exams, examhall.ExamSummary{ID: e.ID, Title: e.Title, Questions: len(e.Questions), DurationSeconds: e.DurationSeconds, OpensAt: e.OpensAt, ClosesAt: e.ClosesAt, CreatedAt: e.CreatedAt})
	}
	h.audit(ctx, &examhall.Event{Kind: "lti_deep_link_request", Actor: ltiUser("lti-staff-", p.Issuer, c.Subject), Detail: c.Name})
	return &examhall.LTILaunchResult{DeepLink: choice}, nil
}

// LTIDeepLink implements examhall.LTIService.
func (h *Hall) LTIDeepLink(ctx context.Context, base, ticket, exam string) (*examhall.LTIDeepLinkResponse, error) {
	_, once, err := h.ltiStores()
	if err != nil {
		return nil, err
	}
	if ticket == "" || exam == "" {
		return nil, examhall.Errorf(examhall.EBadRequest, "ticket and exam are both required.")
	}
	e, err := h.exam(ctx, exam)
	if err != nil {
		return nil, err
	}
	var dl ltiDeepLink
	if err := h.takeOnce(ctx, once, "lti-dl:"+ticket, &dl); isCode(err, examhall.ENotFound) {
		return nil, examhall.Errorf(examhall.EUnauthorized, "This choice has expired or was made already; add the activity again from your course.")
	} else if err != nil {
		return nil, err
	}
	p, err := h.platformByID(ctx, dl.Platform)
	if err != nil {
		return nil, examhall.Errorf(examhall.EUnauthorized, "%s", examhall.ErrorMessage(err))
	}
	k, err := h.ltiKey(ctx)
	if err != nil {
		return nil, err
	}
	item := map[string]any{
		"type": "ltiResourceLink", "title": e.Title, "url": base + "/lti/launch",
		"custom": map[string]string{"exam": e.ID},
	}
	if len(e.Pools) == 0 {
		// A grade item on the platform for the scores examhall sends back.
		item["lineItem"] = map[string]any{"scoreMaximum": e.MaxScore(""), "label": e.Title, "resourceId": e.ID}
	}
	now := h.Now()
	claims := jwt.MapClaims{
		"iss": p.ClientID, "aud": p.Issuer, "iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(),
		"nonce": randomToken(16),
		"https://purl.imsglobal.org/spec/lti/claim/message_type":     "LtiDeepLinkingResponse",
		"https://purl.imsglobal.org/spec/lti/claim/version":          "1.3.0",
		"https://purl.imsglobal.org/spec/lti/claim/deployment_id":    dl.Deployment,
		"https://purl.imsglobal.org/spec/lti-dl/claim/content_items": []any{item},
	}
	if dl.Data != "" {
		claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] = dl.Data
	}
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	t.Header["kid"] = k.kid
	signed, err := t.SignedString(k.key)
	if err != nil {
		return nil, err
	}
	h.audit(ctx, &examhall.Event{Kind: "lti_deep_link", Exam: e.ID, Detail: p.Issuer})
	return &examhall.LTIDeepLinkResponse{ReturnURL: dl.ReturnURL, JWT: signed}, nil
}
