/**
 * A self-signed TLS certificate for 127.0.0.1 made with node:crypto alone (no openssl, no
 * package): an EC P-256 key and a minimal X.509 v3 certificate written in DER by hand, with
 * the IP in subjectAltName and basicConstraints CA so a client can trust it as its own root.
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto'

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n])
  const bytes: number[] = []
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}
const tlv = (tag: number, body: Buffer): Buffer => Buffer.concat([Buffer.from([tag]), len(body.length), body])
const seq = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts))

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number)
  const out = [40 * a + b]
  for (const n of rest) {
    const chunk: number[] = [n & 0x7f]
    for (let v = n >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80)
    out.push(...chunk)
  }
  return tlv(0x06, Buffer.from(out))
}

function utcTime(d: Date): Buffer {
  const s = d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z'
  return tlv(0x17, Buffer.from(s, 'ascii'))
}

const commonName = (cn: string): Buffer => seq(tlv(0x31, seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(cn, 'utf8')))))

export function selfSignedCert(ip = '127.0.0.1'): { key: string; cert: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const ecdsaSha256 = seq(oid('1.2.840.10045.4.3.2'))
  const name = commonName(ip)
  const serial = Buffer.concat([Buffer.from([0x01]), randomBytes(8)])
  const ipBytes = Buffer.from(ip.split('.').map(Number))
  const extensions = tlv(
    0xa3,
    seq(
      // subjectAltName: iPAddress [7]
      seq(oid('2.5.29.17'), tlv(0x04, seq(tlv(0x87, ipBytes)))),
      // basicConstraints: critical, CA true
      seq(oid('2.5.29.19'), tlv(0x01, Buffer.from([0xff])), tlv(0x04, seq(tlv(0x01, Buffer.from([0xff]))))),
    ),
  )
  const now = Date.now()
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))),
    tlv(0x02, serial),
    ecdsaSha256,
    name,
    seq(utcTime(new Date(now - 86_400_000)), utcTime(new Date(now + 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    extensions,
  )
  const signature = sign('sha256', tbs, privateKey)
  const der = seq(tbs, ecdsaSha256, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])))
  const pem = (label: string, body: Buffer) =>
    `-----BEGIN ${label}-----\n${body
      .toString('base64')
      .match(/.{1,64}/g)!
      .join('\n')}\n-----END ${label}-----\n`
  return { key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, cert: pem('CERTIFICATE', der) }
}
