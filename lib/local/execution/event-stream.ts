/*
 * The binary event-stream framing (application/vnd.amazon.eventstream) AWS uses for streamed API responses such as
 * Lambda's InvokeWithResponseStream: each message is a prelude (total length, headers length, their CRC32),
 * string headers, the payload, and a CRC32 of everything before it.
 */

const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** CRC-32 (IEEE), as the event-stream framing checks it. */
export function crc32(data: Uint8Array): number {
  let crc = -1;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

const STRING_HEADER = 7;

/** One event-stream message with string headers (`:event-type`, `:content-type`, `:message-type`). */
export function eventStreamMessage(headers: Record<string, string>, payload: Uint8Array): Buffer {
  const encoded = Object.entries(headers).map(([name, value]) => {
    const n = Buffer.from(name, 'utf8');
    const v = Buffer.from(value, 'utf8');
    const header = Buffer.alloc(1 + n.length + 1 + 2 + v.length);
    header.writeUInt8(n.length, 0);
    n.copy(header, 1);
    header.writeUInt8(STRING_HEADER, 1 + n.length);
    header.writeUInt16BE(v.length, 2 + n.length);
    v.copy(header, 4 + n.length);
    return header;
  });
  const headerBytes = Buffer.concat(encoded);
  const total = 12 + headerBytes.length + payload.length + 4;
  const message = Buffer.alloc(total);
  message.writeUInt32BE(total, 0);
  message.writeUInt32BE(headerBytes.length, 4);
  message.writeUInt32BE(crc32(message.subarray(0, 8)), 8);
  headerBytes.copy(message, 12);
  Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).copy(message, 12 + headerBytes.length);
  message.writeUInt32BE(crc32(message.subarray(0, total - 4)), total - 4);
  return message;
}

/** An event of the stream: `:message-type` event, with its type and content type. */
export function streamEvent(eventType: string, contentType: string, payload: Uint8Array): Buffer {
  return eventStreamMessage({ ':event-type': eventType, ':content-type': contentType, ':message-type': 'event' }, payload);
}
