import { context, propagation, type Span, SpanStatusCode, trace } from "@opentelemetry/api";
import type { StepAttemptInterceptor } from "./step-attempt.js";

/** The tag that carries a run's W3C trace context from `client.start` into its activations and children. */
export const TRACE_TAG = "durable.traceparent";
const tracer = () => trace.getTracer("@durable/core");

/**
 * The current trace context as tags to store with a new run (none when no span is active).
 * @example
 * await store.createRun({ ..., tags: { ...tags, ...traceTags() } });
 */
export function traceTags(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? { [TRACE_TAG]: carrier.traceparent } : {};
}

/**
 * Runs `fn` inside a span for one activation of a run, parented on the trace the run was started in.
 * @example
 * await inActivationSpan({ runId, workflow, attempt }, tags, () => engine.run());
 */
export function inActivationSpan<T>(
  attributes: { runId: string; workflow: string; attempt: number },
  tags: Record<string, string>,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const traceparent = tags[TRACE_TAG];
  const parent = traceparent ? propagation.extract(context.active(), { traceparent }) : context.active();
  return tracer().startActiveSpan(
    `durable.activation ${attributes.workflow}`,
    {
      attributes: {
        "durable.run_id": attributes.runId,
        "durable.workflow": attributes.workflow,
        "durable.attempt": attributes.attempt,
      },
    },
    parent,
    async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** A span around every step attempt, inside the activation's span. */
export const traceStepAttempt: StepAttemptInterceptor = (info, next) =>
  tracer().startActiveSpan(
    `durable.step ${info.name}`,
    {
      attributes: {
        "durable.run_id": info.runId,
        "durable.workflow": info.workflow,
        "durable.step": info.name,
        "durable.seq": info.seq,
        "durable.attempt": info.attempt,
        "durable.kind": info.kind,
      },
    },
    async (span) => {
      try {
        return await next();
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message ?? String(error) });
        throw error;
      } finally {
        span.end();
      }
    },
  );
