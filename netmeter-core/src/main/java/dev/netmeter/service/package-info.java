/** Use cases: each public method is one operation of the API, owns its transaction and enforces policy. */
package dev.netmeter.service;
