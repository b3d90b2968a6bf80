import { defineConfig } from "@durable/cli";

// `npx durable dev` at the repository root: the examples' workflows on the embedded database in .durable/
// (or on DATABASE_URL when set), with one run of each started so there is something to watch.
export default defineConfig({
  workflows: [
    "./examples/hello/src/workflows.ts",
    "./examples/order-fulfilment/src/workflows.ts",
    "./examples/drip-campaign/src/workflows.ts",
    "./examples/approval/src/workflows.ts",
  ],
  databaseUrl: process.env.DATABASE_URL,
  worker: { concurrency: 20 },
  dev: {
    runs: [
      { workflow: "hello", input: { who: "world" } },
      {
        workflow: "order-fulfilment",
        input: { orderId: "o-1", sku: "mug", quantity: 1, amountCents: 1_200, cardToken: "tok_visa" },
      },
      { workflow: "drip-campaign", input: { userId: "u-1", email: "ann@example.com" } },
      { workflow: "approval", input: { requestId: "r-1", requester: "bob", amountCents: 1_200 } },
      { workflow: "approval", input: { requestId: "r-2", requester: "bob", amountCents: 90_000 } },
    ],
  },
});
