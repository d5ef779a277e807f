"""Reads `slimbench analyze --json` (schema slimbench.analysis/2) back into whole records.

    import slimbench_analysis
    doc = slimbench_analysis.expand(json.load(open("analysis.json")))

Schema 2 writes each text a layer gives (reason, source, notes, what is unknown) once, in the
document's `reasons` table, and names it there by id; a layer identical to one written before
names that one (`sameAs`); a layer leaves out what is false or empty. expand() gives every layer
whole again — texts in place, `sameAs` replaced by what the named layer says (with the layer's
own line, and stage when it says one), `fromBase`, `secondsLowerBound`, `notes`, `unknown`, `secondsUnknown` and
`parts` always present — and adds to each variant `allUnknowns` ("line N: ..." for what a layer
lists, then the variant's own `unknowns`, as the text output's --verbose lists them) and
`allSecondsUnknown`. A schema 1 document is returned as it is. Python 3 standard library only.
"""

LAYER_TEXTS = ("reason", "source", "proxy")
LAYER_TEXT_LISTS = ("notes", "unknown", "secondsUnknown")


def expand(doc):
    if doc.get("schema") != "slimbench.analysis/2":
        return doc
    reasons = doc.get("reasons", {})
    written = {}  # (variant id, line) -> the layer as written, texts resolved

    def whole(layer, variant_id):
        if "sameAs" in layer:  # the named layer, with this one's own fields (line, stage) over it
            ref = layer["sameAs"]
            out = dict(written[(ref.get("variant", "original"), ref["line"])])
            out.update({k: v for k, v in layer.items() if k != "sameAs"})
            return out
        out = dict(layer)
        for key in LAYER_TEXTS:
            if key in out:
                out[key] = reasons[out[key]]
        for key in LAYER_TEXT_LISTS:
            out[key] = [reasons[i] for i in out.get(key, [])]
        out.setdefault("reason", "")
        out.setdefault("fromBase", False)
        out.setdefault("secondsLowerBound", False)
        out.setdefault("parts", [])
        if not out["fromBase"]:
            written[(variant_id, out["line"])] = out
        return out

    for v in doc.get("variants", []):
        if "error" in v:
            continue
        for key in ("layers", "builderLayers"):
            v[key] = [whole(l, v["id"]) for l in v.get(key, [])]
        listed, seconds = [], []
        for l in v["layers"] + v["builderLayers"]:
            at = "line %d: " % l["line"] if l["line"] > 0 else ""
            listed += [at + u for u in l["unknown"]]
            seconds += [at + t for t in l["secondsUnknown"]]
        v["allUnknowns"] = listed + list(v.get("unknowns", []))
        v["allSecondsUnknown"] = seconds
    return doc
