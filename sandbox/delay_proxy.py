#!/usr/bin/env python3
"""delay_proxy.py: a TCP proxy that delays each direction by a fixed latency.

Stands in for WAN latency between sandbox DCs (no tc netem here). Every chunk
read from one side is stamped with "now + delay" and queued; a separate writer
task sends it to the other side once its time has come. Order is preserved,
reading never waits for the delay (so throughput is not serialized: many
chunks are in flight at once), and a half-close (EOF) is delayed like data.

  delay_proxy.py --listen-port 23311 --target-port 23301 --delay-ms 30 \
                 --pid-file /tmp/.../proxy-dc1.pid --log-file /tmp/.../proxy-dc1.log

Stops on SIGTERM/SIGINT (removes its pid file). Python standard library only.
"""

import argparse
import asyncio
import logging
import os
import signal
import socket
import sys

CHUNK = 64 * 1024
QUEUE_CHUNKS = 512  # per direction: at most 32 MiB buffered before reads pause


def set_nodelay(writer):
    sock = writer.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass


class Proxy:
    def __init__(self, args):
        self.args = args
        self.delay = args.delay_ms / 1000.0
        self.next_id = 0
        self.conns = set()

    async def reader_task(self, reader, queue, loop):
        """Reads chunks, stamps them with their release time, queues them."""
        try:
            while True:
                data = await reader.read(CHUNK)
                deadline = loop.time() + self.delay
                if not data:
                    await queue.put((deadline, None))
                    return
                await queue.put((deadline, data))
        except (ConnectionError, OSError):
            await queue.put((loop.time(), ConnectionError))

    async def writer_task(self, writer, queue, loop, counter):
        """Sends queued chunks when their time has come; returns on EOF."""
        while True:
            deadline, data = await queue.get()
            wait = deadline - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if data is ConnectionError:
                raise ConnectionError("peer reset")
            if data is None:
                if writer.can_write_eof():
                    writer.write_eof()
                return
            writer.write(data)
            counter[0] += len(data)
            await writer.drain()

    async def pump(self, reader, writer, loop, counter):
        queue = asyncio.Queue(maxsize=QUEUE_CHUNKS)
        rt = asyncio.ensure_future(self.reader_task(reader, queue, loop))
        try:
            await self.writer_task(writer, queue, loop, counter)
        finally:
            if not rt.done():
                rt.cancel()
            await asyncio.gather(rt, return_exceptions=True)

    async def handle(self, creader, cwriter):
        self.next_id += 1
        cid = self.next_id
        peer = cwriter.get_extra_info("peername")
        loop = asyncio.get_running_loop()
        try:
            ureader, uwriter = await asyncio.open_connection(self.args.target_host, self.args.target_port)
        except OSError as e:
            logging.warning("conn %d from %s: cannot reach %s:%d: %s", cid, peer,
                            self.args.target_host, self.args.target_port, e)
            cwriter.close()
            return
        set_nodelay(cwriter)
        set_nodelay(uwriter)
        up, down = [0], [0]
        logging.info("conn %d from %s open", cid, peer)
        task = asyncio.current_task()
        self.conns.add(task)
        reason = "closed"
        tasks = [asyncio.ensure_future(self.pump(creader, uwriter, loop, up)),
                 asyncio.ensure_future(self.pump(ureader, cwriter, loop, down))]
        try:
            # Both directions end with EOF normally; an error on one ends both.
            done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            for t in done:
                if t.exception() is not None:
                    reason = "error: %r" % (t.exception(),)
        except asyncio.CancelledError:
            reason = "proxy stopping"
        finally:
            for t in tasks:
                if not t.done():
                    t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self.conns.discard(task)
            for w in (cwriter, uwriter):
                try:
                    w.close()
                except Exception:
                    pass
            logging.info("conn %d %s (client->server %d B, server->client %d B)",
                         cid, reason, up[0], down[0])

    async def run(self):
        loop = asyncio.get_running_loop()
        stop = loop.create_future()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
        server = await asyncio.start_server(self.handle, self.args.listen_host,
                                            self.args.listen_port, reuse_address=True)
        if self.args.pid_file:
            tmp = self.args.pid_file + ".tmp"
            with open(tmp, "w") as f:
                f.write("%d\n" % os.getpid())
            os.replace(tmp, self.args.pid_file)
        logging.info("listening on %s:%d -> %s:%d, delay %d ms each way",
                     self.args.listen_host, self.args.listen_port, self.args.target_host,
                     self.args.target_port, self.args.delay_ms)
        try:
            await stop
        finally:
            server.close()
            for t in list(self.conns):
                t.cancel()
            await asyncio.gather(*list(self.conns), return_exceptions=True)
            if self.args.pid_file:
                try:
                    os.unlink(self.args.pid_file)
                except FileNotFoundError:
                    pass
            logging.info("stopped")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--listen-host", default="127.0.0.1")
    ap.add_argument("--listen-port", type=int, required=True)
    ap.add_argument("--target-host", default="127.0.0.1")
    ap.add_argument("--target-port", type=int, required=True)
    ap.add_argument("--delay-ms", type=int, required=True, help="delay added to each direction")
    ap.add_argument("--pid-file", help="written once listening, removed on exit")
    ap.add_argument("--log-file", help="default: stderr")
    args = ap.parse_args()
    if args.delay_ms < 0:
        ap.error("--delay-ms must be >= 0")
    logging.basicConfig(filename=args.log_file, level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(message)s")
    try:
        asyncio.run(Proxy(args).run())
    except OSError as e:
        logging.error("cannot start: %s", e)
        print("delay_proxy: cannot start: %s" % e, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
