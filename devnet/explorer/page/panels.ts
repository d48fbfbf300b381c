// The two panels fed by the explorer's own routes: nodes and chains, and the relay inspector.
import { audio, el, short } from "./views";
import type { InspectedAction } from "../../../sdk/protocol/relayLog";

interface ExplorerNetwork {
  chains: Array<{ name: string; chainId: number; url: string; height: number | null }>;
  nodes: Array<{ type: string; spId: number; endpoint: string; owner: string; stake: string; delegated: string; health: string; lag: number | null; uploads: number | null }>;
}


async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  const body = (await res.json()) as { data: T; error?: { code: string; message: string } };
  if (!res.ok) throw new Error(body.error ? `${body.error.code}: ${body.error.message}` : `${url} answered ${res.status}`);
  return body.data;
}

export async function renderNetwork(): Promise<void> {
  const network = await getJson<ExplorerNetwork>("api/network");
  const chains = document.getElementById("chains")!;
  chains.textContent = network.chains.map((c) => `${c.name} chain ${c.chainId} at block ${c.height ?? "?"}`).join(" · ");
  for (const c of network.chains) chains.dataset[`${c.name}Height`] = String(c.height ?? "");
  const rows = network.nodes.map((n) =>
    el(
      "tr",
      { dataset: { endpoint: n.endpoint, health: n.health } },
      el("td", { textContent: n.type }),
      el("td", { textContent: String(n.spId) }),
      el("td", { textContent: n.endpoint }),
      el("td", { textContent: short(n.owner), title: n.owner }),
      el("td", { textContent: audio(n.stake) }),
      el("td", { textContent: audio(n.delegated) }),
      el("td", { className: n.health, textContent: n.health }),
      el("td", { textContent: n.type === "discovery-node" ? (n.lag === null ? "–" : `${n.lag} blocks behind`) : n.uploads === null ? "–" : `${n.uploads} uploads` }),
    ),
  );
  document.querySelector("#nodes tbody")!.replaceChildren(...rows);
}

export async function renderRelay(): Promise<void> {
  const actions = await getJson<InspectedAction[]>("api/relay?limit=100");
  const rows = actions.map((a) => {
    const gas = a.gas_used ? `${Number(a.gas_used).toLocaleString("en-US")} gas × ${(Number(a.gas_price) / 1e9).toFixed(2)} gwei` : "–";
    return el(
      "tr",
      { dataset: { outcome: a.outcome, action: `${a.action} ${a.entity_type}`, tx: a.tx_hash } },
      el("td", { textContent: new Date(a.at).toLocaleTimeString() }),
      el("td", { textContent: `${a.action} ${a.entity_type}` }),
      el("td", { textContent: a.user_id }),
      el("td", { textContent: a.entity_id }),
      el("td", { textContent: short(a.signer), title: a.signer }),
      el("td", { textContent: gas, title: a.tx_hash }),
      el("td", { className: a.outcome, textContent: a.outcome }),
      el("td", { className: "reason", textContent: a.reason ? `${a.code ? `${a.code}: ` : ""}${a.reason}` : "" }),
    );
  });
  document.querySelector("#relay tbody")!.replaceChildren(...rows);
}
