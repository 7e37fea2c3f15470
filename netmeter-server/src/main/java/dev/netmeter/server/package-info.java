/** The runnable product: command line, configuration, and the one place where everything is wired. */
package dev.netmeter.server;
