import { runTable, JSON_HEADERS, type HostileCase } from "./table";
import { useWorld } from "./world";

/**
 * Hostile inputs the identity service still mishandles (its files belong to another engineer;
 * listed in the hostile suite's report). Kept apart so the main table stays green on its own.
 */
const PENDING: HostileCase[] = [
  {
    // The email pattern is [^\s@]+@[^\s@]+, and NUL is not \s: the record is stored with the NUL.
    name: "POST /user with a NUL byte in the email is refused",
    request: (w) => ({ base: w.identity, method: "POST", path: "/user", headers: JSON_HEADERS, body: JSON.stringify({ email: "nul\u0000@example.com", walletAddress: w.stranger.address }) }),
    status: 400,
    code: "INVALID_INPUT",
  },
  {
    name: "POST /user with a control character (ESC) in the email is refused",
    request: (w) => ({ base: w.identity, method: "POST", path: "/user", headers: JSON_HEADERS, body: JSON.stringify({ email: "esc\u001b[31m@example.com", walletAddress: w.stranger.address }) }),
    status: 400,
    code: "INVALID_INPUT",
  },
  {
    name: "GET /verification/callback with the state given twice",
    request: (w) => ({ base: w.identity, method: "GET", path: "/verification/callback?state=a&state=b&code=x" }),
    status: 400,
    code: "INVALID_INPUT",
  },
];

describe("hostile input, pending fixes: identity service", function () {
  this.timeout(60_000);
  runTable(PENDING, useWorld());
});
