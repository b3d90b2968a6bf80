import { isIP } from "node:net";

/**
 * Whether a host name or address stays on this machine: `localhost` (and `*.localhost`), `127.0.0.0/8`,
 * `::1` and IPv4-mapped loopback. Brackets and a port (`[::1]:4800`, `localhost:4800`) are ignored.
 * @example
 * isLoopback("127.0.0.1"); // true
 * isLoopback("0.0.0.0"); // false
 */
export function isLoopback(host: string): boolean {
  const name = stripPort(host).toLowerCase();
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  if (isIP(name) === 4) return name.startsWith("127.");
  if (isIP(name) === 6) {
    // The URL parser writes every spelling of an IPv6 address one way: [::1], [::ffff:7f00:1].
    const canonical = new URL(`http://[${name}]/`).hostname;
    return canonical === "[::1]" || /^\[::ffff:7f[0-9a-f]{2}:/.test(canonical);
  }
  return false;
}

/**
 * The host part of a `Host` header or bind address: without a port and without IPv6 brackets.
 * @example
 * stripPort("[::1]:4800"); // "::1"
 */
export function stripPort(host: string): string {
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    return host.slice(1, end === -1 ? undefined : end);
  }
  if (isIP(host) === 6) return host;
  const colon = host.lastIndexOf(":");
  return colon === -1 ? host : host.slice(0, colon);
}
