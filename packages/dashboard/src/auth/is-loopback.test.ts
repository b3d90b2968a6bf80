import { describe, expect, it } from "vitest";
import { isLoopback, stripPort } from "./is-loopback.js";

describe("isLoopback", () => {
  it("accepts the names and addresses of this machine, with or without a port", () => {
    for (const host of [
      "127.0.0.1",
      "127.1.2.3",
      "localhost",
      "app.localhost",
      "::1",
      "[::1]:4800",
      "localhost:4800",
      "0:0:0:0:0:0:0:1",
      "::ffff:127.0.0.1",
    ]) {
      expect(isLoopback(host), host).toBe(true);
    }
  });

  it("refuses every other address, including all interfaces", () => {
    for (const host of [
      "0.0.0.0",
      "::",
      "10.0.0.1",
      "192.168.1.2",
      "example.com",
      "localhost.example.com",
      "::ffff:10.0.0.1",
      "::ffff:0.127.0.1",
    ]) {
      expect(isLoopback(host), host).toBe(false);
    }
  });
});

describe("stripPort", () => {
  it("drops a port and IPv6 brackets", () => {
    expect(stripPort("[::1]:4800")).toBe("::1");
    expect(stripPort("example.com:80")).toBe("example.com");
    expect(stripPort("::1")).toBe("::1");
  });
});
