#include "language/lexer.hpp"

#include <fmt/format.h>

#include <cctype>

#include "language/parser.hpp"

namespace mw::lang {

namespace {
bool nameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
}  // namespace

std::vector<Token> tokenize(const std::string& text, const std::string& where) {
  std::vector<Token> out;
  int line = 1, col = 1;
  size_t i = 0;
  auto advance = [&](size_t k) {
    for (; k > 0 && i < text.size(); --k, ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
  };
  auto peek = [&](size_t k) { return i + k < text.size() ? text[i + k] : '\0'; };
  while (i < text.size()) {
    char c = text[i];
    if (c == '#') {
      while (i < text.size() && text[i] != '\n') advance(1);
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c))) {
      advance(1);
      continue;
    }
    Token t;
    t.line = line;
    t.col = col;
    size_t start = i;
    if (c == '"') {
      advance(1);
      while (i < text.size() && text[i] != '"' && text[i] != '\n') {
        unsigned char b = static_cast<unsigned char>(text[i]);
        if (b < 0x20 && b != '\t')
          throw ProtocolError(fmt::format("{}:{}:{}: a control character (\\x{:02x}) in a string; expected printable text", where, line, col, b));
        advance(1);
      }
      if (peek(0) != '"') throw ProtocolError(fmt::format("{}:{}:{}: a string that does not end on its line; expected a closing \"", where, t.line, t.col));
      t.kind = Tok::String;
      t.text = text.substr(start + 1, i - start - 1);
      advance(1);
    } else if (std::isdigit(static_cast<unsigned char>(c)) || (c == '-' && std::isdigit(static_cast<unsigned char>(peek(1))))) {
      advance(1);
      while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) advance(1);
      t.kind = Tok::Number;
      // Digits followed by letters are a name: message types 1a, 2b.
      if (c != '-' && i < text.size() && nameChar(text[i])) {
        while (i < text.size() && (nameChar(text[i]) || ((text[i] == '-' || text[i] == '.') && nameChar(peek(1))))) advance(1);
        t.kind = Tok::Name;
      }
      t.text = text.substr(start, i - start);
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      while (i < text.size() && (nameChar(text[i]) || ((text[i] == '-' || text[i] == '.') && nameChar(peek(1))))) advance(1);
      t.kind = Tok::Name;
      t.text = text.substr(start, i - start);
    } else {
      static const char* two[] = {":=", "=>", "!=", "<=", ">="};
      t.kind = Tok::Punct;
      for (const char* p : two)
        if (c == p[0] && peek(1) == p[1]) t.text = p;
      if (t.text.empty()) {
        if (std::string("()[]{},:.?=<>&|~+-*/").find(c) == std::string::npos)
          throw ProtocolError(fmt::format("{}:{}:{}: unexpected character '{}'; expected a name, a number or one of ( ) [ ] {{ }} , : . ? = != < <= > >= & | ~ => := + - * /",
                                          where, line, col, std::isprint(static_cast<unsigned char>(c)) ? std::string(1, c) : fmt::format("\\x{:02x}", static_cast<unsigned char>(c))));
        t.text = std::string(1, c);
      }
      advance(t.text.size());
    }
    out.push_back(std::move(t));
  }
  Token end;
  end.kind = Tok::End;
  end.line = line;
  end.col = col;
  out.push_back(end);
  return out;
}

}  // namespace mw::lang
