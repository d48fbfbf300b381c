import net from "node:net";
import { once } from "node:events";
import { expect } from "chai";
import { startChain } from "../../devnet/chain";

/**
 * A client that polls the chain over one keep-alive connection (a discovery node's indexer does,
 * every 50 ms) must not hold the chain's close open: a connection busy at close would otherwise
 * serve the next poll, and the next, and close would wait as long as the polling went on.
 */
describe("devnet chain close", function () {
  it("ends a keep-alive connection that is mid-request at close, so close does not wait on a polling client", async () => {
    const chain = await startChain({ chainId: 1056801, mining: "batched" });
    const { port } = new URL(chain.url);
    const socket = net.connect(Number(port), "127.0.0.1");
    await once(socket, "connect");
    let received = "";
    socket.setEncoding("utf8");
    const nextChunk = () => new Promise<void>((resolve) => socket.once("data", (chunk: string) => ((received += chunk), resolve())));
    const ended = once(socket, "close");
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] });
    // "100 Continue" proves the server has parsed the headers: the connection is busy, not idle, at close
    socket.write(`POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`);
    while (!/100 Continue\r\n\r\n/.test(received)) await nextChunk();
    received = "";
    const closing = chain.close();
    socket.write(body);
    while (!received.includes('"result"')) await nextChunk();
    expect(received, "the answer to the request in flight at close").to.match(/^HTTP\/1.1 200/);
    expect(received.toLowerCase()).to.include("connection: close");
    await ended;
    await closing;
  });
});
