import { SuperJSON } from "superjson";
import { type ErrorData, PayloadTooLargeError, SerializationError } from "./errors.js";

/** The current payload format tag; stored with every value so the format can change later. */
export const PAYLOAD_FORMAT = "sj1";

/** A value as stored: superjson's `json` and `meta`, tagged with its format. */
export interface Encoded {
  f: string;
  json: unknown;
  meta?: unknown;
}

/** The default limit on one serialised payload: 1 MiB. */
export const DEFAULT_PAYLOAD_LIMIT = 1024 * 1024;

const codec = new SuperJSON();
const registered = new Set<unknown>();

interface ErrorShape extends ErrorData {
  cause?: ErrorShape;
}

codec.registerCustom<Error, Record<string, never>>(
  {
    isApplicable: (v): v is Error => v instanceof Error,
    serialize: (error) => errorShape(error, 0) as unknown as Record<string, never>,
    deserialize: (shape) => reviveError(shape as unknown as ErrorShape),
  },
  "durable.Error",
);

function errorShape(error: Error, depth: number): ErrorShape {
  const shape: ErrorShape = { name: error.name, message: error.message };
  if (error.stack !== undefined) shape.stack = error.stack;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") shape.code = code;
  if (error.cause instanceof Error && depth < 8) shape.cause = errorShape(error.cause, depth + 1);
  return shape;
}

const BUILTIN_ERRORS: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

function reviveError(shape: ErrorShape): Error {
  const Class = BUILTIN_ERRORS[shape.name] ?? Error;
  const error = new Class(shape.message, shape.cause ? { cause: reviveError(shape.cause) } : undefined);
  if (error.name !== shape.name) {
    Object.defineProperty(error, "name", {
      value: shape.name,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
  if (shape.stack !== undefined) error.stack = shape.stack;
  if (shape.code !== undefined) Object.assign(error, { code: shape.code });
  return error;
}

/**
 * Registers a class so its instances can be stored and come back as instances of it.
 * @example
 * class Money { constructor(public cents: number) {} }
 * registerClass(Money, "Money");
 */
export function registerClass(cls: new (...args: never[]) => unknown, name: string): void {
  codec.registerClass(cls as never, name);
  registered.add(cls.prototype);
}

/**
 * Encodes a value for storage, refusing what would not come back identical. `what` names the value in
 * errors, e.g. `run order:42 step "charge" (seq 3) result`.
 * @example
 * const stored = encode({ at: new Date() }, "input"); decode(stored).at instanceof Date; // true
 */
export function encode(value: unknown, what: string, limit = DEFAULT_PAYLOAD_LIMIT): Encoded {
  checkStorable(value, what, "$", new Set());
  let out: { json: unknown; meta?: unknown };
  try {
    out = codec.serialize(value);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SerializationError(`${what} cannot be stored: ${reason}`, "$");
  }
  const encoded: Encoded = { f: PAYLOAD_FORMAT, json: out.json };
  if (out.meta !== undefined) encoded.meta = out.meta;
  const bytes = utf8Length(JSON.stringify(encoded));
  if (bytes > limit) {
    throw new PayloadTooLargeError(
      `${what} is ${bytes} bytes serialised, over the ${limit}-byte limit; store large data elsewhere and pass a reference`,
      bytes,
      limit,
    );
  }
  return encoded;
}

/**
 * Decodes a stored value.
 * @example
 * decode(encode(new Map([["a", 1]]), "value")); // Map { "a" => 1 }
 */
export function decode<T = unknown>(encoded: Encoded): T {
  if (encoded.f !== PAYLOAD_FORMAT) {
    throw new SerializationError(
      `stored value has format "${encoded.f}", which this version of durable cannot read; upgrade durable`,
      "$",
    );
  }
  return codec.deserialize<T>(
    encoded.meta === undefined ? { json: encoded.json as never } : (encoded as never),
  );
}

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

function checkStorable(value: unknown, what: string, path: string, seen: Set<unknown>): void {
  const refuse = (why: string): never => {
    throw new SerializationError(`${what} cannot be stored: ${path} ${why}`, path);
  };
  switch (typeof value) {
    case "string":
      if (value.includes("\u0000")) refuse("is a string containing \\u0000, which Postgres cannot store");
      if (!value.isWellFormed()) refuse("is a string with an unpaired UTF-16 surrogate");
      return;
    case "number":
    case "boolean":
    case "bigint":
    case "undefined":
      return;
    case "function":
      refuse("is a function");
      break;
    case "symbol":
      refuse("is a symbol");
      break;
  }
  if (value === null) return;
  if (seen.has(value)) return;
  seen.add(value);
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) refuse("is an Invalid Date");
    return;
  }
  if (value instanceof RegExp || value instanceof URL || value instanceof Error) return;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) checkStorable(item, what, `${path}[${i}]`, seen);
    return;
  }
  if (value instanceof Map) {
    let i = 0;
    for (const [k, v] of value) {
      checkStorable(k, what, `${path}.<key ${i}>`, seen);
      checkStorable(v, what, `${path}.<value ${i}>`, seen);
      i++;
    }
    return;
  }
  if (value instanceof Set) {
    let i = 0;
    for (const v of value) checkStorable(v, what, `${path}.<item ${i++}>`, seen);
    return;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null && !registered.has(proto)) {
    const name = (proto as { constructor?: { name?: string } })?.constructor?.name ?? "unknown";
    refuse(`is an instance of class ${name}; return plain data, or registerClass(${name}, "${name}")`);
  }
  for (const key of Object.keys(value as object)) {
    if (FORBIDDEN_KEYS.has(key))
      refuse(`has the key "${key}", which is refused to prevent prototype pollution`);
    checkStorable((value as Record<string, unknown>)[key], what, `${path}.${key}`, seen);
  }
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
