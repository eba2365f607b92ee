package io.poolbench.router.server;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.Locale;

/**
 * The Netty transport the router and the mock server run on: Linux's native epoll where it loads
 * (fewer system calls and no selector bookkeeping per request), Java NIO everywhere else. The
 * system property {@value #PROPERTY} ({@code epoll}, {@code nio} or {@code auto}) overrides the
 * choice, e.g. to compare the two; a value it cannot honour is an {@link IllegalStateException}
 * naming it.
 */
public enum NettyTransport {
  EPOLL,
  NIO;

  /** The system property that forces a transport. */
  public static final String PROPERTY = "poolbench.netty.transport";

  /** The transport to use here: the property's choice, else epoll when available, else NIO. */
  public static NettyTransport chosen() {
    String forced = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
    return switch (forced) {
      case "nio" -> NIO;
      case "epoll" -> {
        if (!Epoll.isAvailable()) {
          throw new IllegalStateException("-D" + PROPERTY + "=epoll, but epoll is not available here: "
              + Epoll.unavailabilityCause());
        }
        yield EPOLL;
      }
      case "auto", "" -> Epoll.isAvailable() ? EPOLL : NIO;
      default -> throw new IllegalStateException("-D" + PROPERTY + "='" + forced
          + "' is not one of auto, epoll, nio");
    };
  }

  /** The I/O handler factory for event loop groups. */
  public IoHandlerFactory ioHandlerFactory() {
    return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
  }

  /** The listening channel class. */
  public Class<? extends ServerChannel> serverChannel() {
    return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  /** The client channel class. */
  public Class<? extends SocketChannel> socketChannel() {
    return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /** Lower-case name, as the property takes it. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
