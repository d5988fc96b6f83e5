package tex

// Symbols of TeX's math mode and the MathML element each becomes.

// identifiers are commands that name a letter (mi).
var identifiers = map[string]string{
	"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε", "zeta": "ζ",
	"eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
	"xi": "ξ", "omicron": "ο", "pi": "π", "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ", "sigma": "σ", "varsigma": "ς",
	"tau": "τ", "upsilon": "υ", "phi": "ϕ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
	"ell": "ℓ", "hbar": "ℏ", "imath": "ı", "jmath": "ȷ", "aleph": "ℵ", "wp": "℘", "Re": "ℜ", "Im": "ℑ",
	"infty": "∞", "partial": "∂", "nabla": "∇", "emptyset": "∅", "varnothing": "∅", "angle": "∠",
	"triangle": "△", "degree": "°", "prime": "′", "top": "⊤", "bot": "⊥",
}

// upright are capital Greek letters, upright in TeX.
var upright = map[string]string{
	"Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
	"Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}

// operators are commands that are operators, relations or punctuation (mo).
var operators = map[string]string{
	"times": "×", "cdot": "⋅", "div": "÷", "pm": "±", "mp": "∓", "ast": "∗", "star": "⋆", "circ": "∘",
	"bullet": "∙", "oplus": "⊕", "otimes": "⊗", "ominus": "⊖", "odot": "⊙",
	"leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "equiv": "≡",
	"sim": "∼", "simeq": "≃", "cong": "≅", "propto": "∝", "ll": "≪", "gg": "≫", "leqslant": "⩽", "geqslant": "⩾",
	"prec": "≺", "succ": "≻", "perp": "⊥", "parallel": "∥", "mid": "∣", "nmid": "∤",
	"to": "→", "rightarrow": "→", "leftarrow": "←", "gets": "←", "Rightarrow": "⇒", "Leftarrow": "⇐",
	"Leftrightarrow": "⇔", "leftrightarrow": "↔", "iff": "⟺", "implies": "⟹", "mapsto": "↦",
	"longrightarrow": "⟶", "longleftarrow": "⟵", "uparrow": "↑", "downarrow": "↓", "rightleftharpoons": "⇌",
	"in": "∈", "notin": "∉", "ni": "∋", "subset": "⊂", "subseteq": "⊆", "supset": "⊃", "supseteq": "⊇",
	"cup": "∪", "cap": "∩", "setminus": "∖", "forall": "∀", "exists": "∃", "nexists": "∄", "neg": "¬",
	"lnot": "¬", "land": "∧", "wedge": "∧", "lor": "∨", "vee": "∨", "therefore": "∴", "because": "∵",
	"cdots": "⋯", "ldots": "…", "dots": "…", "vdots": "⋮", "ddots": "⋱",
	"langle": "⟨", "rangle": "⟩", "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉",
	"lbrace": "{", "rbrace": "}", "vert": "|", "Vert": "‖", "|": "‖", "{": "{", "}": "}",
	"%": "%", "$": "$", "&": "&", "#": "#", "_": "_",
}

// largeOps take limits below and above in display style.
var largeOps = map[string]string{
	"sum": "∑", "prod": "∏", "coprod": "∐", "int": "∫", "iint": "∬", "iiint": "∭", "oint": "∮",
	"bigcup": "⋃", "bigcap": "⋂", "bigoplus": "⨁", "bigotimes": "⨂", "bigvee": "⋁", "bigwedge": "⋀",
}

// functions are named operators set upright (sin, log, ...); those in
// limits take their limits below.
var functions = map[string]bool{
	"sin": true, "cos": true, "tan": true, "cot": true, "sec": true, "csc": true, "arcsin": true,
	"arccos": true, "arctan": true, "sinh": true, "cosh": true, "tanh": true, "coth": true, "log": true,
	"ln": true, "lg": true, "exp": true, "det": true, "dim": true, "ker": true, "deg": true, "arg": true,
	"gcd": true, "hom": true, "Pr": true, "mod": true, "bmod": true,
	"lim": true, "max": true, "min": true, "sup": true, "inf": true, "liminf": true, "limsup": true,
}

var limits = map[string]bool{"lim": true, "max": true, "min": true, "sup": true, "inf": true, "liminf": true, "limsup": true, "det": true, "gcd": true, "Pr": true}

// spaces are TeX's spacing commands, as widths.
var spaces = map[string]string{
	",": "0.1667em", ":": "0.2222em", ">": "0.2222em", ";": "0.2778em", " ": "0.25em", "quad": "1em",
	"qquad": "2em", "enspace": "0.5em", "thinspace": "0.1667em", "medspace": "0.2222em", "thickspace": "0.2778em",
	"!": "-0.1667em", "negthinspace": "-0.1667em",
}

// accents put a mark over (or under) their argument.
var accents = map[string]struct {
	mark  string
	under bool
	wide  bool
}{
	"hat": {"^", false, false}, "widehat": {"^", false, true}, "bar": {"‾", false, false}, "overline": {"‾", false, true},
	"vec": {"→", false, false}, "overrightarrow": {"→", false, true}, "overleftarrow": {"←", false, true},
	"dot": {"˙", false, false}, "ddot": {"¨", false, false}, "tilde": {"~", false, false}, "widetilde": {"~", false, true},
	"check": {"ˇ", false, false}, "breve": {"˘", false, false}, "acute": {"´", false, false}, "grave": {"`", false, false},
	"underline": {"‾", true, true}, "overbrace": {"⏞", false, true}, "underbrace": {"⏟", true, true},
}

// fonts set their argument in a MathML variant.
var fonts = map[string]string{
	"mathrm": "normal", "mathbf": "bold", "mathit": "italic", "mathbb": "double-struck", "mathcal": "script",
	"mathscr": "script", "mathfrak": "fraktur", "mathsf": "sans-serif", "mathtt": "monospace", "boldsymbol": "bold",
	"bm": "bold", "operatorname": "normal",
}

// environments of tables and the fences around them.
var environments = map[string][2]string{
	"matrix": {"", ""}, "pmatrix": {"(", ")"}, "bmatrix": {"[", "]"}, "Bmatrix": {"{", "}"}, "vmatrix": {"|", "|"},
	"Vmatrix": {"‖", "‖"}, "smallmatrix": {"", ""}, "array": {"", ""}, "cases": {"{", ""}, "aligned": {"", ""},
	"align": {"", ""}, "align*": {"", ""}, "gathered": {"", ""}, "gather": {"", ""}, "gather*": {"", ""},
	"split": {"", ""}, "eqnarray": {"", ""}, "eqnarray*": {"", ""},
}

// ignored are commands that change nothing MathML shows.
var ignored = map[string]bool{"limits": true, "nolimits": true, "displaystyle": true, "textstyle": true,
	"scriptstyle": true, "big": true, "Big": true, "bigg": true, "Bigg": true, "bigl": true, "bigr": true,
	"Bigl": true, "Bigr": true, "biggl": true, "biggr": true, "Biggl": true, "Biggr": true, "nonumber": true,
	"notag": true, "middle": true}
