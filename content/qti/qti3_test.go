package qti_test

import (
	"encoding/json"
	"strings"
	"testing"

	"examhall/content/qti"
)

// TestParseQTI3 reads QTI 3.0 items as other tools write them.
func TestParseQTI3(t *testing.T) {
	const ns = `xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0"`
	tests := []struct{ name, src, want string }{
		{"choice, several right", `<qti-assessment-item ` + ns + ` identifier="it1">
  <qti-response-declaration identifier="RESPONSE" cardinality="multiple" base-type="identifier">
    <qti-correct-response><qti-value>A</qti-value><qti-value>C</qti-value></qti-correct-response>
  </qti-response-declaration>
  <qti-item-body>
    <qti-choice-interaction response-identifier="RESPONSE" max-choices="0">
      <qti-prompt>Which are prime?</qti-prompt>
      <qti-simple-choice identifier="A">2</qti-simple-choice>
      <qti-simple-choice identifier="B">4</qti-simple-choice>
      <qti-simple-choice identifier="C">5</qti-simple-choice>
    </qti-choice-interaction>
  </qti-item-body>
</qti-assessment-item>`, `{"id":"it1","type":"multiple","prompt":"Which are prime?","points":1,"options":[{"id":"A","text":"2"},{"id":"B","text":"4"},{"id":"C","text":"5"}],"answer":["A","C"]}`},
		{"numeric text entry", `<qti-assessment-item ` + ns + ` identifier="it2">
  <qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="float">
    <qti-correct-response><qti-value>9.81</qti-value></qti-correct-response>
  </qti-response-declaration>
  <qti-outcome-declaration identifier="MAXSCORE" cardinality="single" base-type="float"><qti-default-value><qti-value>2</qti-value></qti-default-value></qti-outcome-declaration>
  <qti-item-body><p>g in m/s²: <qti-text-entry-interaction response-identifier="RESPONSE"/></p></qti-item-body>
  <qti-response-processing><qti-response-condition><qti-response-if>
    <qti-equal tolerance-mode="absolute" tolerance="0.05 0.05"><qti-variable identifier="RESPONSE"/><qti-correct identifier="RESPONSE"/></qti-equal>
  </qti-response-if></qti-response-condition></qti-response-processing>
</qti-assessment-item>`, `{"id":"it2","type":"numeric","prompt":"<p>g in m/s²: _____</p>","points":2,"answer":9.81,"tolerance":0.05,"format":"html"}`},
		{"order", `<qti-assessment-item ` + ns + ` identifier="it3">
  <qti-response-declaration identifier="RESPONSE" cardinality="ordered" base-type="identifier">
    <qti-correct-response><qti-value>y</qti-value><qti-value>x</qti-value></qti-correct-response>
  </qti-response-declaration>
  <qti-item-body><qti-order-interaction response-identifier="RESPONSE"><qti-prompt>Sort</qti-prompt>
    <qti-simple-choice identifier="x">later</qti-simple-choice><qti-simple-choice identifier="y">first</qti-simple-choice>
  </qti-order-interaction></qti-item-body>
</qti-assessment-item>`, `{"id":"it3","type":"order","prompt":"Sort","points":1,"options":[{"id":"x","text":"later"},{"id":"y","text":"first"}],"answer":["y","x"]}`},
		{"hotspot", `<qti-assessment-item ` + ns + ` identifier="it4"><qti-response-declaration identifier="R" cardinality="single" base-type="identifier"/>
  <qti-item-body><qti-hotspot-interaction response-identifier="R"/></qti-item-body></qti-assessment-item>`, `skip: the picture "" of <hotspotInteraction> is not in the package`},
		{"two interactions", `<qti-assessment-item ` + ns + ` identifier="it5"><qti-item-body>
  <qti-extended-text-interaction response-identifier="A"/><qti-extended-text-interaction response-identifier="B"/></qti-item-body></qti-assessment-item>`, `skip: part 1: <extendedTextInteraction> (line 2) has no responseDeclaration "A"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := qti.Parse("item.xml", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			it := b.Items[0]
			if reason, ok := strings.CutPrefix(tt.want, "skip: "); ok {
				if it.Question != nil || !strings.Contains(it.Skipped, reason) {
					t.Errorf("skipped %q, want %q", it.Skipped, reason)
				}
				return
			}
			if it.Question == nil {
				t.Fatalf("skipped: %s", it.Skipped)
			}
			got, _ := json.Marshal(it.Question)
			if g := strings.ReplaceAll(string(got), `\u003c`, "<"); strings.ReplaceAll(g, `\u003e`, ">") != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}
