// A frontend's walk through the public API, as the README describes it, typed by openapi-typescript and
// called through openapi-fetch. Compiled under `tsc --strict`; run against a live server by .ci/clients.
import createClient from "openapi-fetch";
import type { components, paths } from "./api";

// Node's own globals, declared rather than pulling in @types/node for two of them.
declare const process: { argv: string[]; exit(code: number): never };

type Block = components["schemas"]["BodyBlock"];
type Quote = components["schemas"]["Quote"];

const baseUrl = process.argv[2] ?? "http://127.0.0.1:8000";
const api = createClient<paths, "application/json">({ baseUrl });
const ninjsApi = createClient<paths, "application/ninjs+json">({ baseUrl });

function fail(message: string): never {
  throw new Error(message);
}

// Every block type is handled: a new one fails to compile until it is (the README asks clients to render
// unknown types as nothing, which the default branch does at run time).
function render(block: Block): string {
  switch (block.type) {
    case "paragraph":
    case "heading":
      return block.text;
    case "quote":
      return `“${block.quote.text}” — ${block.quote.speaker?.name ?? "unattributed"}`;
    case "image":
      return `[${block.image.alt_text}] ${block.image.renditions.map((r) => `${r.url} ${r.width}w`).join(", ")}`;
    case "embed":
      return `${block.embed.provider}: ${block.embed.fallback_text}`;
    default: {
      const unknown: never = block;
      return String(unknown);
    }
  }
}

async function main(): Promise<void> {
  const list = await api.GET("/api/v1/articles/", { params: { query: { page_size: 1 } } });
  if (!list.data) fail(`list: ${list.response.status}`);
  const first = list.data.results[0] ?? fail("no public story");
  console.log(`list: ${first.headline} (${first.section?.name ?? "no section"}), next: ${list.data.next ?? "none"}`);

  const detail = await api.GET("/api/v1/articles/{slug}/", { params: { path: { slug: first.slug } } });
  if (!detail.data) fail(`detail: ${detail.response.status}`);
  const story = detail.data;
  console.log(`detail: ${story.kicker} | ${story.headline} | ${story.dek} | v${story.version}`);
  console.log(`bylines: ${story.bylines.map((b) => `${b.name} (${b.role})`).join(", ")}`);
  console.log(`lead image: ${story.lead_image ? `${story.lead_image.url} at ${story.lead_image.focal_point.x}` : "none"}`);
  console.log(`body: ${story.body.length} blocks, first: ${render(story.body[0] ?? fail("empty body")).slice(0, 60)}`);
  story.body.forEach(render);

  // Quotes by speaker.
  const bySpeaker = new Map<string, Quote[]>();
  for (const quote of story.quotes) {
    const name = quote.speaker?.name ?? "unattributed";
    bySpeaker.set(name, [...(bySpeaker.get(name) ?? []), quote]);
  }
  for (const [name, quotes] of bySpeaker) console.log(`${name}: ${quotes.length} (${quotes[0]?.kind})`);
  // Anonymous sources have no public address (slug null): a speaker's quotes are asked for by slug.
  const speaker = story.quotes.map((q) => q.speaker).find((s) => s?.slug);
  const speakerSlug = speaker?.slug;
  if (speaker && speakerSlug) {
    // Following `next`, five at a time, to the end of one speaker's quotes.
    let count = 0;
    let pages = 0;
    let cursor: string | undefined;
    do {
      const page = await api.GET("/api/v1/quotes/", {
        params: { query: { speaker: speakerSlug, page_size: 5, cursor } },
      });
      if (!page.data) fail(`quotes: ${page.response.status}`);
      count += page.data.results.filter((q) => q.article.slug === story.slug).length;
      pages += 1;
      cursor = page.data.next ? (new URL(page.data.next).searchParams.get("cursor") ?? undefined) : undefined;
    } while (cursor);
    console.log(`quotes by ${speaker.name}: ${count} in ${pages} pages`);
  }

  const ninjs = await ninjsApi.GET("/api/v1/articles/{slug}/", {
    params: { path: { slug: first.slug }, query: { format: "ninjs" } },
  });
  if (!ninjs.data) fail(`ninjs: ${ninjs.response.status}`);
  console.log(`ninjs: ${ninjs.data.uri} ${ninjs.data.headlines[0]?.value} pubstatus=${ninjs.data.pubstatus}`);

  const missing = await api.GET("/api/v1/articles/{slug}/", { params: { path: { slug: "no-such-story" } } });
  if (missing.response.status !== 404 || !missing.error) fail("a missing story is not a 404");
  console.log(`error: ${missing.error.code}: ${missing.error.message}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
