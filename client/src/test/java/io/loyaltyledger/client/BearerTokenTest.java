package io.loyaltyledger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BearerTokenTest {

  @Test
  void aTokenReadFromAFileLosesItsNewlineAndNeverShowsInText() {
    BearerToken token = BearerToken.of("abc0123456789def\n");
    assertThat(token.headerValue()).isEqualTo("Bearer abc0123456789def");
    assertThat(token.toString()).doesNotContain("abc0123456789def");
  }

  @Test
  void textThatCannotBeAHeaderIsRefusedWithoutBeingRepeated() {
    assertThatThrownBy(() -> BearerToken.of("two words"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("two words");
    assertThatThrownBy(() -> BearerToken.of("line\nbreak")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BearerToken.of("  ")).isInstanceOf(IllegalArgumentException.class);
  }
}
