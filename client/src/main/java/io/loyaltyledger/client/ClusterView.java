package io.loyaltyledger.client;

import java.util.List;
import java.util.Set;

/** The cluster as one node sees it ({@code GET /v1/cluster}). */
public record ClusterView(
    String self, String leader, boolean selfUp, List<Member> members, List<String> unreachable) {

  public record Member(
      String address, String status, Set<String> roles, boolean reachable, boolean self) {}
}
