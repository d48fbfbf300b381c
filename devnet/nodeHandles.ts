import { AsixError } from "../sdk/errors";
import { waitHealthy } from "./health";
import type { RunningNodeHandle } from "./options";
import type { NodeSet } from "./serviceWiring";
import type { FaultGate } from "./services/faults";

interface StoppableNode {
  url: string;
  faults: FaultGate;
  stop(): Promise<void>;
}

/**
 * Handles over one kind of node, by index: stop, restart on the same port with the same data (once
 * healthy again), and faults on whichever instance is current. Names are `<prefix>-<n>` from 1 (content-1, discovery-2).
 */
export function nodeHandles<Config, Node extends StoppableNode>(prefix: string, set: NodeSet<Config, Node>, start: (config: Config) => Promise<Node>): (i: number) => RunningNodeHandle {
  const stopped = new Set<number>();
  return (i) => {
    const config = set.configs[i];
    if (!config) throw new AsixError("INVALID_INPUT", `no ${prefix} node ${i}`);
    return {
      name: `${prefix}-${i + 1}`,
      url: set.urls[i],
      running: () => !stopped.has(i),
      stop: async () => {
        stopped.add(i);
        await set.nodes[i].stop();
      },
      // resolves once the node says it is healthy: a discovery node first catches up with the chain,
      // and a client that picked it sooner would find it unhealthy and, with the others stopped, none
      restart: async () => {
        set.nodes[i] = await start(config);
        stopped.delete(i);
        await waitHealthy([set.nodes[i].url]);
      },
      ...faultControls(() => set.nodes[i].faults),
    };
  };
}

/** A node handle's fault controls, over whichever running instance of the node is current. */
function faultControls(gate: () => FaultGate): Pick<RunningNodeHandle, "pause" | "slow" | "resume" | "fault"> {
  return {
    fault: () => gate().current,
    pause: () => gate().set({ kind: "pause" }),
    slow: (params) => gate().set({ kind: "slow", ...params }),
    resume: () => gate().set(undefined),
  };
}
