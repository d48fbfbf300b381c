/** The file the page server writes beside the page: the network's public descriptor (src/network.ts reads it). */
export const NETWORK_FILE = "devnet.json";
