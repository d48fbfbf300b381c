import { bytesToHex, concatBytes, hexToBytes, isAddress, utf8Bytes } from "./bytes";

/**
 * A minimal ABI codec for the static and dynamic types the SDK's own calls and typed data use
 * (uint256, bytes32, address, bool, string, bytes). Hand-written because ethers' coder costs the
 * whole of ethers at load time; the tests hold it to ethers' output byte for byte.
 */
export type AbiType = "uint256" | "bytes32" | "address" | "bool" | "string" | "bytes";
export type AbiValue = bigint | number | string | boolean | Uint8Array;

const TWO_256 = 1n << 256n;
const isDynamic = (t: AbiType) => t === "string" || t === "bytes";

function word(value: bigint): Uint8Array {
  if (value < 0n || value >= TWO_256) throw new RangeError(`value out of uint256 range: ${value}`);
  return hexToBytes("0x" + value.toString(16).padStart(64, "0"));
}

function encodeStatic(type: AbiType, value: AbiValue): Uint8Array {
  switch (type) {
    case "uint256":
      if (typeof value === "string" && !/^(0x[0-9a-fA-F]+|[0-9]+)$/.test(value)) throw new TypeError(`not a uint256: ${value}`);
      if (typeof value === "number" && !Number.isSafeInteger(value)) throw new TypeError(`not a safe integer: ${value}`);
      return word(BigInt(value as bigint | number | string));
    case "bool":
      return word(value ? 1n : 0n);
    case "address":
      if (!isAddress(value)) throw new TypeError(`not an address: ${String(value)}`);
      return word(BigInt(value));
    case "bytes32": {
      const bytes = typeof value === "string" ? hexToBytes(value) : (value as Uint8Array);
      if (!(bytes instanceof Uint8Array) || bytes.length !== 32) throw new TypeError("bytes32 needs exactly 32 bytes");
      return bytes;
    }
    default:
      throw new TypeError(`not a static type: ${type}`);
  }
}

function encodeDynamic(type: AbiType, value: AbiValue): Uint8Array {
  const bytes = type === "string" ? utf8Bytes(String(value)) : typeof value === "string" ? hexToBytes(value) : (value as Uint8Array);
  const padded = new Uint8Array(Math.ceil(bytes.length / 32) * 32);
  padded.set(bytes);
  return concatBytes(word(BigInt(bytes.length)), padded);
}

/** `abi.encode(types, values)`: heads then tails, as Solidity lays out function arguments. */
export function abiEncode(types: readonly AbiType[], values: readonly AbiValue[]): Uint8Array {
  if (types.length !== values.length) throw new TypeError(`expected ${types.length} values, got ${values.length}`);
  const heads: Uint8Array[] = [];
  const tails: Uint8Array[] = [];
  let tailOffset = 32 * types.length;
  types.forEach((type, i) => {
    if (isDynamic(type)) {
      const tail = encodeDynamic(type, values[i]);
      heads.push(word(BigInt(tailOffset)));
      tails.push(tail);
      tailOffset += tail.length;
    } else {
      heads.push(encodeStatic(type, values[i]));
    }
  });
  return concatBytes(...heads, ...tails);
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Decode `abi.encode(types, ...)` strictly: offsets and lengths must stay inside the data, strings
 * must be valid UTF-8, addresses and bools must be clean words. Throws a RangeError/TypeError.
 */
export function abiDecode(types: readonly AbiType[], data: Uint8Array): Array<bigint | string | boolean> {
  const readWord = (at: number): bigint => {
    if (at < 0 || at + 32 > data.length) throw new RangeError("data too short");
    return BigInt(bytesToHex(data.subarray(at, at + 32)));
  };
  return types.map((type, i) => {
    const head = 32 * i;
    switch (type) {
      case "uint256":
        return readWord(head);
      case "bool": {
        const v = readWord(head);
        if (v > 1n) throw new RangeError("bool word is neither 0 nor 1");
        return v === 1n;
      }
      case "address": {
        const v = readWord(head);
        if (v >> 160n !== 0n) throw new RangeError("address word has dirty high bytes");
        return "0x" + v.toString(16).padStart(40, "0");
      }
      case "bytes32":
        readWord(head);
        return bytesToHex(data.subarray(head, head + 32));
      default: {
        const offset = readWord(head);
        if (offset > BigInt(data.length)) throw new RangeError("offset out of bounds");
        const length = readWord(Number(offset));
        const start = Number(offset) + 32;
        if (length > BigInt(data.length - start)) throw new RangeError("length out of bounds");
        const bytes = data.subarray(start, start + Number(length));
        return type === "string" ? strictUtf8.decode(bytes) : bytesToHex(bytes);
      }
    }
  });
}
