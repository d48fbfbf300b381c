import { expect } from "chai";
import { END, part, tinyPng, upload, BOUNDARY } from "./multipart";
import { runTable, type HostileCase } from "./table";
import { send } from "./wire";
import { useWorld } from "./world";

/**
 * Hostile inputs the content node still mishandles (its files belong to another engineer; listed
 * in the hostile suite's report). Kept apart so the main table stays green on its own.
 */
const PENDING: HostileCase[] = [
  {
    // busboy emits "Unexpected end of form" where nobody listens: an uncaught exception, which
    // takes down a content node that runs as its own process.
    name: "POST /uploads whose multipart body ends before its closing boundary",
    request: upload(async () => Buffer.concat([part("template", "img_square"), Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="a.png"\r\n\r\n`), (await tinyPng()).subarray(0, 20)])),
    status: 400,
    code: "INVALID_INPUT",
  },
  {
    // busboy's files limit drops the second part silently: the first is stored and answered 200.
    name: "POST /uploads with two file parts stores nothing",
    request: upload(async () => Buffer.concat([part("template", "img_square"), part("files", await tinyPng(), "a.png"), part("files", await tinyPng(), "b.png"), END]), undefined, 1),
    status: 400,
    code: "INVALID_INPUT",
  },
];

describe("hostile input, pending fixes: content node", function () {
  this.timeout(60_000);
  const world = useWorld();
  runTable(PENDING, world);

  it("every content node still answers /health_check", async () => {
    for (const base of world().content) expect((await send({ base, method: "GET", path: "/health_check" })).status).to.equal(200);
  });
});
