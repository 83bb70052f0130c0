import Hummingbird
import ServiceKit

/// `/openapi.json` (the OpenAPI 3.1 document) and `/docs` (a page that renders it). Served without a
/// token, as API documentation is opened in a browser; they hold no data.
struct DocsRoutes: Sendable {
    static let paths: Set<String> = ["/openapi.json", "/docs"]

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.json)))
        }
        router.get("/docs") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: Self.page)))
        }
    }

    /// A self-contained page (no external scripts, so it works offline) listing every operation of
    /// `/openapi.json` with its tag, operationId, parameters, body, responses and examples.
    static let page = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Webhooks platform API</title>
        <style>
        body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#222}
        details{border:1px solid #ddd;border-radius:6px;margin:.4rem 0;padding:.4rem .8rem}
        summary{cursor:pointer}.m{display:inline-block;width:4.5rem;font-weight:bold;text-transform:uppercase}
        .get{color:#1a7f37}.post{color:#0969da}.put,.patch{color:#9a6700}.delete{color:#cf222e}
        pre{background:#f6f8fa;padding:.6rem;overflow:auto;font-size:.85rem}
        </style></head>
        <body><h1>Webhooks platform API</h1>
        <p>The OpenAPI 3.1 document is at <a href="/openapi.json">/openapi.json</a>. Send <code>Authorization: Bearer &lt;token&gt;</code>
        from <code>POST /api/auth/login</code>. It covers every dialect of the registry and ingest's <code>POST /api/v1/events</code>.</p><div id="ops">loading…</div>
        <script>
        fetch('/openapi.json').then(r => r.json()).then(doc => {
          const ops = document.getElementById('ops'); ops.textContent = '';
          const resolve = s => s && s.$ref ? doc.components.schemas[s.$ref.split('/').pop()] : s;
          const media = c => c ? (c['application/json'] || Object.values(c)[0]) : undefined;
          const methods = ['get', 'put', 'post', 'delete', 'patch'];
          for (const [path, item] of Object.entries(doc.paths)) {
            for (const [method, op] of Object.entries(item).filter(([m]) => methods.includes(m))) {
              const d = document.createElement('details');
              const s = document.createElement('summary');
              s.innerHTML = `<span class="m ${method}">${method}</span> <code></code> — `;
              s.querySelector('code').textContent = path;
              s.append(`${op.summary || ''} [${(op.tags || []).join(', ')}] ${op.operationId || ''}`);
              d.append(s);
              const pre = document.createElement('pre');
              const body = op.requestBody ? media(op.requestBody.content) : undefined;
              const responses = Object.fromEntries(Object.entries(op.responses).map(([k, v]) => {
                const m = media(v.content);
                return [k, m ? {description: v.description, schema: resolve(m.schema), example: m.example} : v.description];
              }));
              const servers = op.servers || item.servers;
              pre.textContent = JSON.stringify({description: op.description, servers, parameters: op.parameters,
                body: body && {schema: resolve(body.schema), example: body.example, examples: body.examples}, responses}, null, 2);
              d.append(pre);
              ops.append(d);
            }
          }
        });
        </script></body></html>
        """
}
