#!/usr/bin/env node
import { main } from "./main.js";

const code = await main(process.argv);
// Exit explicitly: a worker's timers and sockets are closed by now, but user modules may hold handles.
process.stdout.write("", () => process.exit(code));
