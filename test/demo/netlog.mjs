// Preload (node --import) for the demo test: appends the target of every outgoing connection,
// TLS connection and DNS lookup this process makes to the file named by GOSUMDB_NETLOG, one per
// line ("tcp <host>:<port>", "remote <address>:<port>", "ipc <path>", "tls <host>:<port>",
// "dns <hostname>"), so that the test can check that nothing but 127.0.0.1 was contacted.
import dns from 'node:dns';
import { appendFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';

const file = process.env.GOSUMDB_NETLOG;
if (!file) throw new Error('netlog.mjs needs GOSUMDB_NETLOG');
const record = (line) => appendFileSync(file, `${line}\n`);

// net.connect and tls.connect hand a normalized [options, callback] array to Socket#connect;
// direct calls pass (options, cb), (port, host, cb) or (path, cb).
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first !== null && typeof first === 'object') {
    record(first.path ? `ipc ${first.path}` : `tcp ${first.host ?? 'localhost'}:${first.port}`);
  } else if (typeof first === 'string' && !/^[0-9]+$/.test(first)) {
    record(`ipc ${first}`);
  } else {
    record(`tcp ${typeof args[1] === 'string' ? args[1] : 'localhost'}:${first}`);
  }
  this.once('connect', () => {
    if (this.remoteAddress !== undefined) record(`remote ${this.remoteAddress}:${this.remotePort}`);
  });
  return connect.apply(this, args);
};

const tlsConnect = tls.connect;
tls.connect = function (...args) {
  const o = args.find((a) => a !== null && typeof a === 'object') ?? {};
  record(`tls ${o.host ?? o.servername ?? (typeof args[1] === 'string' ? args[1] : 'localhost')}:${o.port ?? args[0]}`);
  return tlsConnect.apply(this, args);
};

const lookup = dns.lookup;
dns.lookup = function (hostname, ...rest) {
  record(`dns ${hostname}`);
  return lookup.call(this, hostname, ...rest);
};
const lookupPromise = dns.promises.lookup;
dns.promises.lookup = function (hostname, ...rest) {
  record(`dns ${hostname}`);
  return lookupPromise.call(this, hostname, ...rest);
};
