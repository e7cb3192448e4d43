import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalRunnerError } from '../errors';

/** Listens on host:port; a busy port is a LocalRunnerError that names it and the option that chose it. */
export function listen(server: Server, port: number, host: string, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (err.code === 'EADDRINUSE') {
        reject(new LocalRunnerError(`Port ${port} on ${host} (for ${what}) is already in use: stop what holds it or choose another first port with --port.`));
      } else if (err.code === 'EACCES') {
        reject(new LocalRunnerError(`Port ${port} on ${host} (for ${what}) is not allowed for this user: choose a port above 1023 with --port.`));
      } else {
        reject(err);
      }
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Closes a server and its idle keep-alive connections. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
