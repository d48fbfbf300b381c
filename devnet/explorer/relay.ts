import type { IndexedAction } from "../../sdk/protocol/actions";
import type { DevnetDescriptor } from "../../sdk";
import type { InspectedAction, RelayedAction } from "../../sdk/protocol/relayLog";

export type { InspectedAction } from "../../sdk/protocol/relayLog";

export function relayInspector(network: DevnetDescriptor): (limit: number) => Promise<InspectedAction[]> {
  const identity = network.services.identity.replace(/\/+$/, "");
  const discovery = network.services.discovery[0].replace(/\/+$/, "");
  return async (limit) => {
    const res = await fetch(`${identity}/relay/recent?limit=${limit}`, { signal: AbortSignal.timeout(3000) });
    if (!res.ok) throw new Error(`the identity service's relay log answered ${res.status}`);
    const { data } = (await res.json()) as { data: RelayedAction[] };
    const verdicts = new Map<string, Promise<IndexedAction[] | undefined>>();
    const verdictOf = (tx: string) => {
      if (!verdicts.has(tx)) {
        verdicts.set(
          tx,
          fetch(`${discovery}/v1/full/transactions/${tx}`, { signal: AbortSignal.timeout(3000) })
            .then((r) => (r.ok ? (r.json() as Promise<{ data: IndexedAction[] }>).then((b) => b.data) : undefined))
            .catch(() => undefined),
        );
      }
      return verdicts.get(tx)!;
    };
    return Promise.all(
      data.map(async (a): Promise<InspectedAction> => {
        if (a.status === "refused") return { ...a, outcome: "refused", reason: a.error_message, code: a.error_code };
        const indexed = (await verdictOf(a.tx_hash))?.find((x) => x.entity_id === a.entity_id && x.action === a.action && x.entity_type === a.entity_type);
        if (!indexed) return { ...a, outcome: "pending", reason: "", code: "" };
        return { ...a, outcome: indexed.status, reason: indexed.reason, code: indexed.code };
      }),
    );
  };
}
