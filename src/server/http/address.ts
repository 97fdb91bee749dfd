/**
 * The client's IP address: the TCP peer, or, when the peer is one of TRUSTED_PROXIES, the
 * nearest address in X-Forwarded-For that is not a trusted proxy. A client can put anything in
 * that header, so only hops added by our own proxies are believed.
 */
import { BlockList, isIP } from "node:net"
import type { Context, MiddlewareHandler } from "hono"

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) is 10.0.0.1. */
export function normalize(address: string): string {
  const a = address.trim().replace(/^\[(.*)\]$/, "$1")
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a)
  return mapped ? mapped[1] : a.toLowerCase()
}

/** A BlockList of addresses and CIDR blocks as CREATE_NETWORKS and TRUSTED_PROXIES list them. */
export function blockList(entries: string[]): BlockList {
  const list = new BlockList()
  for (const entry of entries) {
    const [addr, bits] = entry.split("/")
    const type = isIP(addr) === 6 ? "ipv6" : "ipv4"
    if (bits === undefined) list.addAddress(normalize(addr), type)
    else list.addSubnet(normalize(addr), Number(bits), type)
  }
  return list
}

export function contains(list: BlockList, address: string): boolean {
  const a = normalize(address)
  const family = isIP(a)
  if (!family) return false
  return list.check(a, family === 6 ? "ipv6" : "ipv4")
}

/** The TCP peer as @hono/node-server exposes it (absent for in-process requests without one). */
export function peer(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined
  const address = env?.incoming?.socket?.remoteAddress
  return address ? normalize(address) : undefined
}

/** The client address for `c`, given the trusted proxies (`undefined`: none). */
export function client(c: Context, trusted: BlockList | undefined): string | undefined {
  const direct = peer(c)
  if (!direct || !trusted) return direct
  const list = trusted
  if (!contains(list, direct)) return direct
  const hops = (c.req.header("x-forwarded-for") ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean)
    .slice(-64)
  let nearest = direct
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseHop(hops[i] as string)
    // A hop our proxy could not name (`unknown`, garbage) ends the chain with an address we do
    // not know: never the proxy's own, which would pass CREATE_NETWORKS and pool every client
    // into one rate limit.
    if (hop === undefined) return UNKNOWN
    nearest = hop
    if (!contains(list, hop)) break
  }
  return nearest
}

/** The client address when a trusted proxy forwarded a hop it could not name. */
export const UNKNOWN = "unknown"

/** One X-Forwarded-For hop as an address: `1.2.3.4`, `1.2.3.4:5678`, `[2001:db8::1]:443`, `2001:db8::1`. */
export function parseHop(value: string): string | undefined {
  const v = value.trim()
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::\d{1,5})?$/.exec(v)
  const v4port = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(v)
  const candidate = bracketed?.[1] ?? v4port?.[1] ?? v
  const address = normalize(candidate)
  return isIP(address) ? address : undefined
}

/**
 * Who a visitor is for unique-view counting: an IPv4 address, or the /64 of an IPv6 address
 * (one household or host gets a whole /64, so its addresses are one visitor). Nothing a client
 * chooses per request (a user agent, a cookie) goes into it.
 */
export function visitor(address: string | undefined): string {
  if (!address) return ""
  const a = normalize(address)
  if (isIP(a) !== 6) return a
  const [head = "", tail = ""] = a.split("::")
  const left = head ? head.split(":") : []
  const right = tail ? tail.split(":") : []
  const groups = a.includes("::")
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right]
    : left
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ""))
    .join(":")}::/64`
}

/** Middleware: the client address of every request, as `c.get("ip")`. */
export function middleware(
  trusted: BlockList | undefined,
): MiddlewareHandler<{ Variables: { ip: string | undefined } }> {
  return async (c, next) => {
    c.set("ip", client(c, trusted))
    await next()
  }
}
