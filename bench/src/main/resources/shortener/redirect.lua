-- GET /{code} with a code drawn at random from the file given after "--".
local codes = {}

function init(args)
  for line in io.lines(args[1]) do
    codes[#codes + 1] = line
  end
end

function request()
  return wrk.format("GET", "/" .. codes[math.random(#codes)])
end
