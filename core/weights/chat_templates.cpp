#include "weights/chat_templates.h"

#include <map>
#include <stdexcept>

namespace mg::engine {
namespace {

const std::map<std::string, std::string>& namedChatTemplates() {
  static const std::map<std::string, std::string> templates = {
      {"alpaca",
       "{%- set system = messages | selectattr('role', 'equalto', 'system') | list -%}"
       "{{- system[-1]['content'] | trim if system else '' }}\n\n"
       "{%- for message in messages if message['role'] != 'system' %}"
       "{%- set heading = {'user': 'Instruction', 'assistant': 'Response', 'user_context': 'Input'}"
       ".get(message['role']) %}"
       "{%- if heading %}\n### {{ heading }}:\n{{ message['content'] | trim }}"
       "{%- if not loop.last %}\n\n{% endif %}{%- endif %}"
       "{%- endfor %}"
       "{%- if add_generation_prompt and messages[-1]['role'] != 'assistant' %}\n### Response:\n{% endif %}"},
      {"chatml", "{%- for message in messages %}"
                 "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
                 "{%- endfor %}"
                 "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"},
      {"exaone", "{%- for message in messages %}"
                 "{%- if loop.first and message['role'] != 'system' %}{{- '[|system|][|endofturn|]\\n' }}"
                 "{%- endif %}"
                 "{{- '[|' + message['role'] + '|]' + message['content'] }}"
                 "{{- '\\n' if message['role'] == 'user' else '[|endofturn|]\\n' }}"
                 "{%- endfor %}"
                 "{%- if add_generation_prompt %}{{- '[|assistant|]' }}{%- endif %}"},
      {"llama3", "{%- for message in messages %}"
                 "{%- if loop.first %}{{- bos_token }}{%- endif %}"
                 "{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + "
                 "message['content'] | trim + '<|eot_id|>' }}"
                 "{%- endfor %}"
                 "{%- if add_generation_prompt %}"
                 "{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- endif %}"},
      {"mistral",
       "{%- if messages and messages[0]['role'] == 'system' %}"
       "{%- set system_message = messages[0]['content'] %}{%- set turns = messages[1:] %}"
       "{%- else %}{%- set turns = messages %}{%- endif %}"
       "{{- bos_token }}"
       "{%- for message in turns %}"
       "{%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
       "{{- raise_exception('Roles must alternate user/assistant after an optional system message') }}"
       "{%- endif %}"
       "{%- if message['role'] == 'user' %}"
       "{%- if loop.first and system_message is defined %}"
       "{{- ' [INST] ' + system_message + '\\n\\n' + message['content'] + ' [/INST]' }}"
       "{%- else %}{{- ' [INST] ' + message['content'] + ' [/INST]' }}{%- endif %}"
       "{%- elif message['role'] == 'assistant' %}{{- ' ' + message['content'] + eos_token }}"
       "{%- else %}"
       "{{- raise_exception('Only user and assistant roles follow the optional system message') }}"
       "{%- endif %}"
       "{%- endfor %}"},
  };
  return templates;
}

} // namespace

const std::vector<std::string>& chatTemplateNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& [name, text] : namedChatTemplates())
      out.push_back(name);
    return out;
  }();
  return names;
}

std::string chatTemplateText(const std::string& value) {
  const auto& named = namedChatTemplates();
  if (const auto it = named.find(value); it != named.end()) return it->second;
  // mergekit's test: anything shorter than 20 characters or without '{' is a mistyped name.
  if (value.size() < 20 || value.find('{') == std::string::npos) {
    std::string names;
    for (const auto& n : chatTemplateNames())
      names += (names.empty() ? "" : ", ") + n;
    throw std::invalid_argument("chat template '" + value + "' is neither a known name (" + names +
                                ", auto) nor a Jinja template");
  }
  return value;
}

} // namespace mg::engine
