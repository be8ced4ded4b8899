// Tokens of protocol files. Names may hold '-' and '.' between letters and digits (labels such
// as `got-1a` and `highest.is-vote`) and may start with a digit (message types such as `1b`);
// a '.' followed by a space ends a quantifier's bindings. `#` starts a comment.
#pragma once

#include <string>
#include <vector>

namespace mw::lang {

enum class Tok { Name, Number, String, Punct, End };

struct Token {
  Tok kind = Tok::End;
  std::string text;  // the name, the digits (with a leading '-'), the string's contents, the punctuation
  int line = 1, col = 1;
};

// Throws ProtocolError ("where:line:col: ...") on a character no token starts with.
std::vector<Token> tokenize(const std::string& text, const std::string& where);

}  // namespace mw::lang
