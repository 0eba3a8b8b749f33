"""What the generated schema cannot say by itself, added once it is built (a drf-spectacular hook).

- `?fields=` responses are labelled `application/json; profile="sparse"` and described by sparse twins of
  the full components, in which nothing is required;
- the ninjs representation is the IPTC ninjs 2.2 schema itself, with what this API always sends required;
- public reads need no credentials (`security: []`), so generated clients call them without a token;
- conditional reads (304) and the headers clients act on (ETag, Last-Modified, Retry-After, Location).
"""

import copy
import json
from pathlib import Path

SPARSE_MEDIA_TYPE = 'application/json; profile="sparse"'
NINJS_MEDIA_TYPE = "application/ninjs+json"
NINJS_SCHEMA_FILE = Path(__file__).with_name("ninjs-schema_2.2.json")
# What NinjsSerializer always sends; IPTC requires only `uri`.
NINJS_ALWAYS = [
    "uri",
    "standard",
    "type",
    "representationtype",
    "profile",
    "version",
    "firstcreated",
    "versioncreated",
    "contentcreated",
    "pubstatus",
    "language",
    "slugline",
    "headlines",
    "bodies",
    "renditions",
    "altids",
]
PAGE_KEYS = ["next", "previous", "results"]
METHODS = ("get", "put", "patch", "post", "delete")

HEADERS = {
    "ETag": "The representation's strong validator. Send it as If-None-Match to revalidate (304), and as "
    "If-Match when writing a story.",
    "Last-Modified": "When the representation last changed.",
    "Cache-Control": "`public` with `max-age` and `stale-while-revalidate` for anonymous reads; "
    "`private, no-store` for anything read with credentials or a preview token.",
    "Retry-After": "Seconds to wait before trying again.",
    "Location": "The address of what was created, or where the resource now lives.",
}


def header(name):
    return {"description": HEADERS[name], "schema": {"type": "string"}}


def ninjs_components():
    """The IPTC schema's types as components, its internal references pointed at them."""
    iptc = json.loads(NINJS_SCHEMA_FILE.read_text(encoding="utf-8"))
    names = {"ninjsType": "Ninjs", "contactinfoType": "NinjsContactInfo"}

    def rewrite(node):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if ref and ref.startswith("#/$defs/"):
                return {**node, "$ref": f"#/components/schemas/{names[ref.removeprefix('#/$defs/')]}"}
            if ref:
                # Geometry is GeoJSON, defined elsewhere; generators and validators must not fetch it.
                return {"type": "object", "description": f"A GeoJSON object ({ref})."}
            return {key: rewrite(value) for key, value in node.items()}
        if isinstance(node, list):
            return [rewrite(item) for item in node]
        return node

    components = {names[name]: rewrite(iptc["$defs"][name]) for name in names}
    # The story itself: IPTC's type with what this API always sends required. (Its associations stay
    # plain IPTC items.)
    story = copy.deepcopy(components["Ninjs"])
    story["required"] = sorted({*story.get("required", []), *NINJS_ALWAYS}, key=NINJS_ALWAYS.index)
    story["description"] = (
        "A story as IPTC ninjs 2.2 (https://iptc.org/standards/ninjs/), with what this API always sends "
        "required."
    )
    components["NinjsStory"] = story
    return components


def sparse_components(schemas, name, made):
    """Make `{name}Sparse`: the component with nothing required, its references sparse too."""
    sparse_name = f"{name}Sparse"
    if sparse_name in made or name not in schemas:
        return sparse_name
    made[sparse_name] = None  # recursion guard

    def loosen(node):
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/components/schemas/"):
                target = ref.rsplit("/", 1)[-1]
                if schemas.get(target, {}).get("type") == "object":
                    return {
                        **node,
                        "$ref": f"#/components/schemas/{sparse_components(schemas, target, made)}",
                    }
                return node
            return {key: loosen(value) for key, value in node.items() if key != "required"}
        if isinstance(node, list):
            return [loosen(item) for item in node]
        return node

    component = loosen(copy.deepcopy(schemas[name]))
    component["description"] = f"{name} as cut down by `?fields=`: only the fields named are present." + (
        f" {component['description']}" if component.get("description") else ""
    )
    made[sparse_name] = component
    return sparse_name


def format_parameter(formats):
    return {
        "in": "query",
        "name": "format",
        "schema": {"type": "string", "enum": formats},
        "description": "The representation, instead of an Accept header. Any other value is a 400.",
    }


def modernise(node):
    """Rewrite what OpenAPI 3.0 spelled its own way (third-party pieces still do) as JSON Schema says it."""
    if isinstance(node, dict):
        node = {key: modernise(value) for key, value in node.items()}
        if node.pop("nullable", False) and isinstance(node.get("type"), str):
            node["type"] = [node["type"], "null"]
        branches = node.get("oneOf", [])
        if branches and all(branch.get("type") == "string" for branch in branches):
            # Alternatives that can overlap ("" is both an empty string and a URI reference) are anyOf.
            node["anyOf"] = node.pop("oneOf")
        return node
    if isinstance(node, list):
        return [modernise(item) for item in node]
    return node


def postprocess(result, generator, request, public):
    result = modernise(result)
    schemas = result["components"]["schemas"]
    for name, component in schemas.items():
        if name.startswith("Paginated") and "results" in component.get("properties", {}):
            component["required"] = PAGE_KEYS
    schemas.update(ninjs_components())
    made = {}
    for path, operations in result["paths"].items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            responses = operation["responses"]
            if "security" not in operation:
                operation["security"] = []
            for code, response in responses.items():
                headers = response.setdefault("headers", {})
                if code in ("429", "503"):
                    headers["Retry-After"] = header("Retry-After")
                if code in ("301", "308"):
                    headers["Location"] = header("Location")
                if code.startswith("2"):
                    headers["Cache-Control"] = header("Cache-Control")
                    if (method == "get" and "304" in responses) or path.startswith("/api/v1/articles/{"):
                        headers["ETag"] = header("ETag")
                    if code == "201" and "{" not in path:
                        headers["Location"] = header("Location")
                if not headers:
                    del response["headers"]
            content = responses.get("200", {}).get("content", {})
            if method == "get" and NINJS_MEDIA_TYPE in content:
                content[NINJS_MEDIA_TYPE] = {"schema": {"$ref": "#/components/schemas/NinjsStory"}}
            if method == "get" and any(p["name"] == "fields" for p in operation.get("parameters", [])):
                formats = ["json", "ninjs"] if NINJS_MEDIA_TYPE in content else ["json"]
                operation["parameters"] = sorted(
                    [
                        *(p for p in operation["parameters"] if p["name"] != "format"),
                        format_parameter(formats),
                    ],
                    key=lambda parameter: (parameter["in"], parameter["name"]),
                )
                full = content["application/json"]["schema"]
                target = full["$ref"].rsplit("/", 1)[-1]
                sparse = schemas[target]
                if "results" in sparse.get("properties", {}):
                    # A page: its items are sparse, the page keys are not.
                    item = sparse["properties"]["results"]["items"]["$ref"].rsplit("/", 1)[-1]
                    page = copy.deepcopy(sparse)
                    page["properties"]["results"]["items"] = {
                        "$ref": f"#/components/schemas/{sparse_components(schemas, item, made)}"
                    }
                    made[f"{target}Sparse"] = page
                    ref = f"{target}Sparse"
                else:
                    ref = sparse_components(schemas, target, made)
                content[SPARSE_MEDIA_TYPE] = {"schema": {"$ref": f"#/components/schemas/{ref}"}}
            if "304" in responses:
                responses["200"]["headers"]["Last-Modified"] = header("Last-Modified")
                responses["304"] = {
                    "description": "Not modified: the ETag sent in If-None-Match is still current.",
                    "headers": {"ETag": header("ETag"), "Cache-Control": header("Cache-Control")},
                }
    schemas.update(made)
    return result
